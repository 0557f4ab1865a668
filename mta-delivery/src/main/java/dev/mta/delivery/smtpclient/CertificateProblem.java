package dev.mta.delivery.smtpclient;

/**
 * What was wrong with a server's certificate, as a {@link TlsPolicy} judged it. TLS reports name
 * each differently (RFC 8460 4.3.1, 4.3.2.1), so the judgement keeps the kind, not just words.
 */
public enum CertificateProblem {
    /** The chain does not lead to a trusted CA (PKIX), or is self-signed. */
    NOT_TRUSTED,
    /** The leaf certificate is outside its validity period. */
    EXPIRED,
    /** The certificate is trusted but names none of the reference identifiers. */
    NAME_MISMATCH,
    /** No usable TLSA record matches the chain (RFC 7672 3). */
    TLSA_MISMATCH,
    /** The certificate matches none of the operator's pinned fingerprints. */
    FINGERPRINT_MISMATCH
}
