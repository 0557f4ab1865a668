package dev.mta.security.mtasts;

import java.util.Optional;

/** RFC 8461 5: what a sending MTA does with a policy. */
public enum StsMode {
    /** Deliver only to matching MX hosts over TLS with a valid certificate. */
    ENFORCE("enforce"),
    /** Check as for enforce and report failures (RFC 8460), but deliver anyway. */
    TESTING("testing"),
    /** The domain has withdrawn its policy: no protection. */
    NONE("none");

    private final String token;

    StsMode(String token) {
        this.token = token;
    }

    /** The value as written in a policy file. */
    public String token() {
        return token;
    }

    /**
     * The mode a policy file value names, if any (a store reads modes back with it). RFC 8461
     * 3.2: the values are case-sensitive ({@code %s"enforce"}).
     */
    public static Optional<StsMode> ofToken(String value) {
        for (StsMode mode : values()) {
            if (mode.token.equals(value)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
