package dev.mta.security.mtasts;

import java.net.IDN;
import java.util.Locale;
import java.util.Objects;

/** The names MTA-STS derives from a recipient domain (RFC 8461 3.1, 3.3). */
final class StsDomains {
    private StsDomains() {
    }

    /** The A-label, lower-case form without a trailing dot, the key the cache uses. */
    static String normalise(String domain) {
        Objects.requireNonNull(domain, "domain");
        String text = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        if (text.isEmpty()) {
            throw new IllegalArgumentException("not a domain name: '" + domain + "'");
        }
        return IDN.toASCII(text).toLowerCase(Locale.ROOT);
    }

    /** RFC 8461 3.1: where the TXT record lives. */
    static String txtName(String domain) {
        return "_mta-sts." + domain;
    }

    /** RFC 8461 3.3: the host that serves the policy. */
    static String policyHost(String domain) {
        return "mta-sts." + domain;
    }

    /** RFC 8461 3.3: the path of the policy on that host. */
    static final String POLICY_PATH = "/.well-known/mta-sts.txt";
}
