package dev.mta.security.dns;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the relay learns whether a DNS answer is authentic (RFC 4033 5), which decides whether
 * DANE can apply at all (RFC 7672 2.1: TLSA records count only when DNSSEC validated them).
 */
public enum DnssecMode {
    /**
     * Validate in the relay itself with dnsjava's validating resolver, from the trust anchors in a
     * file, on top of the configured recursive resolvers (which need not validate, but must pass
     * DNSSEC records through). The default.
     */
    VALIDATE("validate"),
    /**
     * Believe the AD bit of the configured resolvers (RFC 4035 3.2.3), which is safe only when the
     * path to them cannot be tampered with (RFC 4035 4.9.3): allowed for loopback resolvers only.
     */
    TRUST_AD("trust-ad"),
    /** No DNSSEC: every answer is insecure, so no DANE. */
    OFF("off");

    private final String configValue;

    DnssecMode(String configValue) {
        this.configValue = configValue;
    }

    /** The word for this mode in the configuration file. */
    public String configValue() {
        return configValue;
    }

    /**
     * The mode named {@code text} as the configuration file writes it ({@code validate},
     * {@code trust-ad}, {@code off}; case ignored).
     *
     * @throws IllegalArgumentException naming the accepted words
     */
    public static DnssecMode parse(String text) {
        String wanted = text.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(mode -> mode.configValue.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("DNSSEC mode '" + text + "': expected one of "
                        + Arrays.stream(values()).map(DnssecMode::configValue).collect(Collectors.joining(", "))));
    }
}
