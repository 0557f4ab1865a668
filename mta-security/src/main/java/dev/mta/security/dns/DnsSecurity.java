package dev.mta.security.dns;

/**
 * The DNSSEC status of an answer, in the terms of RFC 4033 5 and RFC 4035 4.3.
 */
public enum DnsSecurity {
    /** Validated from a trust anchor down to the records (or to the proof of their absence). */
    SECURE,
    /** Provably not signed (an insecure delegation), or not validated at all. */
    INSECURE,
    /** Signed, but the signatures or the chain of trust do not verify: do not believe it. */
    BOGUS,
    /** Whether it should be signed could not be found out (no trust anchor, no answer). */
    INDETERMINATE
}
