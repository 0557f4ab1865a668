package dev.mta.security.policy;

import java.util.Locale;

/**
 * How much security a destination gets, in Postfix's words (smtp_tls_security_level), chosen per
 * destination by the operator. DANE and MTA-STS raise a hop above its level; nothing lowers it.
 */
public enum TlsLevel {
    /** Never STARTTLS. */
    NONE,
    /** STARTTLS when offered, any certificate; a failed handshake may be retried in clear text. */
    MAY,
    /** STARTTLS mandatory, certificate not checked. */
    ENCRYPT,
    /**
     * Opportunistic DANE (RFC 7672), the default: authenticated where the host publishes secure
     * usable TLSA records, otherwise as MAY.
     */
    DANE,
    /** Mandatory DANE: a host without secure usable TLSA records is not used. */
    DANE_ONLY,
    /** STARTTLS mandatory, PKIX chain to the system trust store, host name from the (possibly insecure) MX. */
    VERIFY,
    /** As VERIFY, but the names to match come from the configuration or the next-hop domain, never from insecure DNS. */
    SECURE,
    /** STARTTLS mandatory, the certificate or its key must have one of the configured digests. */
    FINGERPRINT;

    /** The configuration's spelling: {@code dane-only}. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static TlsLevel parse(String text) {
        String constant = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (TlsLevel level : values()) {
            if (level.name().equals(constant)) {
                return level;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a TLS level (none, may, encrypt, dane, dane-only, verify, secure, fingerprint)");
    }

    /** Whether the hop must not go ahead without TLS. */
    public boolean requiresTls() {
        return this != NONE && this != MAY && this != DANE;
    }
}
