package dev.mta.testsupport.tls;

/** The key algorithms a test certificate can have. */
public enum KeyType {
    /** NIST P-256: generated in about a millisecond, so it is the default. */
    EC_P256,
    /** RSA 2048, for tests that need the RSA cipher suites or PKCS#1 key files. */
    RSA_2048
}
