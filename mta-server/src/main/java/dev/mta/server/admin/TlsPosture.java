package dev.mta.server.admin;

/**
 * How a delivery's hop was protected, in the five kinds an operator weighs: authenticated by
 * DANE (RFC 7672), by MTA-STS (RFC 8461), by a certificate check the operator configured
 * (verified name or pinned fingerprint), encrypted without authenticating the server
 * (opportunistic TLS, RFC 3207), or in clear text.
 */
public enum TlsPosture {
    DANE("DANE"),
    MTA_STS("MTA-STS"),
    VERIFIED("verified"),
    ENCRYPTED("encrypted only"),
    CLEAR("clear text");

    private final String label;

    TlsPosture(String label) {
        this.label = label;
    }

    /** How the page names it. */
    public String label() {
        return label;
    }

    /** dane, mta-sts, verified, encrypted, clear: the key in /api/status. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * The posture of a TLS mode as the delivery log and the metrics name it
     * ({@link dev.mta.delivery.attempt.Via#tlsMode()}).
     */
    public static TlsPosture of(String tlsMode) {
        return switch (tlsMode) {
            case "dane-ee", "dane-ta" -> DANE;
            case "sts" -> MTA_STS;
            case "verified", "fingerprint" -> VERIFIED;
            case "none" -> CLEAR;
            // Any other name is a TLS session whose server nothing authenticated.
            default -> ENCRYPTED;
        };
    }
}
