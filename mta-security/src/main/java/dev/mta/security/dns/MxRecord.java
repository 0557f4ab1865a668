package dev.mta.security.dns;

import java.util.Locale;
import java.util.Objects;

/**
 * One MX record (RFC 5321 5.1).
 *
 * @param preference 0 to 65535, lower is tried first
 * @param host       the exchange, lower case, without the trailing dot; empty for the root
 *                   ({@code "."}), which only the null MX uses
 */
public record MxRecord(int preference, String host) {

    public MxRecord {
        if (preference < 0 || preference > 0xFFFF) {
            throw new IllegalArgumentException("MX preference out of range 0-65535: " + preference);
        }
        Objects.requireNonNull(host, "host");
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
    }

    /**
     * Whether this is the null MX of RFC 7505 3: preference 0 and the root as exchange, which says
     * the domain accepts no mail. That it must be the domain's only MX is for the caller to check.
     */
    public boolean isNullMx() {
        return preference == 0 && host.isEmpty();
    }
}
