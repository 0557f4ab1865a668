package dev.mta.security.mtasts;

import java.util.Locale;
import java.util.Objects;

/** RFC 8461 4.1: whether an MX host name is one a policy names. */
public final class MxPatterns {
    private MxPatterns() {
    }

    /**
     * True when {@code host} matches {@code pattern}, ignoring case and one trailing dot on the
     * host. A pattern {@code *.example.com} matches exactly one left-most label
     * ({@code mx.example.com}), neither {@code example.com} nor {@code a.mx.example.com}.
     */
    public static boolean matches(String pattern, String host) {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(host, "host");
        String name = normalised(host);
        String wanted = normalised(pattern);
        if (name.isEmpty() || wanted.isEmpty()) {
            return false;
        }
        if (wanted.startsWith("*.")) {
            int dot = name.indexOf('.');
            // The wildcard stands for one whole, non-empty label.
            return dot > 0 && name.substring(dot + 1).equals(wanted.substring(2));
        }
        return name.equals(wanted);
    }

    /** True when {@code host} matches any of {@code patterns}. */
    public static boolean matchesAny(Iterable<String> patterns, String host) {
        for (String pattern : patterns) {
            if (matches(pattern, host)) {
                return true;
            }
        }
        return false;
    }

    private static String normalised(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
