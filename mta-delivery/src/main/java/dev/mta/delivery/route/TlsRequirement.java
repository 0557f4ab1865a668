package dev.mta.delivery.route;

/**
 * What a static route demands of the hop's TLS (Postfix's smtp_tls_security_level, the part
 * that needs no DNSSEC or MTA-STS; those come with the per-destination policy).
 */
public enum TlsRequirement {
    /** Never STARTTLS. */
    NONE,
    /** STARTTLS when offered, any certificate; a failed handshake is retried in clear text (RFC 7672 1.3). */
    MAY,
    /** STARTTLS is mandatory (no clear-text fallback); the certificate is not verified. */
    ENCRYPT
}
