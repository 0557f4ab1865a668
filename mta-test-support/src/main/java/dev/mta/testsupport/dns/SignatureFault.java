package dev.mta.testsupport.dns;

/** How a test zone spoils a signature, so that a validator must call the data bogus. */
enum SignatureFault {
    /** The signature bytes are altered: it no longer verifies with the zone's key (RFC 4035 5.3.3). */
    BROKEN,
    /** The signature verifies, but its validity period ended a day ago (RFC 4035 5.3.1). */
    EXPIRED
}
