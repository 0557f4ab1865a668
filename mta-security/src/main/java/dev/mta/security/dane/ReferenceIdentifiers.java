package dev.mta.security.dane;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The names a DANE-TA(2) server certificate must match, one of them at least (RFC 7672 3.2.2).
 * DANE-EE(3) ignores them (RFC 7672 3.2.1). Names are ASCII (A-labels for internationalized
 * names, RFC 5890 2.3.2.1), kept in lower case without a trailing dot, in the order given, once
 * each.
 *
 * <p>Which names qualify depends on how the host was found; the factories say it. All of them
 * come from DNSSEC-validated answers, which is what lets a domain name them at all: DANE applies
 * only when the MX (or the address) lookup was secure (RFC 7672 2.2).
 */
public record ReferenceIdentifiers(List<String> names) {

    public ReferenceIdentifiers {
        Objects.requireNonNull(names, "names");
        Set<String> distinct = new LinkedHashSet<>();
        for (String name : names) {
            distinct.add(normalize(name));
        }
        if (distinct.isEmpty()) {
            throw new IllegalArgumentException("at least one reference identifier is needed (the TLSA base domain)");
        }
        names = List.copyOf(distinct);
    }

    public static ReferenceIdentifiers of(String... names) {
        return new ReferenceIdentifiers(List.of(names));
    }

    public static ReferenceIdentifiers of(Collection<String> names) {
        return new ReferenceIdentifiers(new ArrayList<>(names));
    }

    /**
     * For an MX host of a next-hop domain whose MX RRset was secure (RFC 7672 3.2.2): the TLSA
     * base domain (the MX host name, or its CNAME expansion when the TLSA records were found
     * there), the MX host name as the MX record gives it, and the original next-hop domain (the
     * recipient's domain, or the destination of a transport route). The last lets a provider
     * serving many domains present a certificate that names the customer's domain.
     */
    public static ReferenceIdentifiers forMxHost(String tlsaBaseDomain, String mxHostName, String nextHopDomain) {
        return of(tlsaBaseDomain, mxHostName, nextHopDomain);
    }

    /**
     * As {@link #forMxHost(String, String, String)}, for a next-hop domain that is itself a
     * secure CNAME: its expansion is a reference identifier too (RFC 7672 3.2.2).
     */
    public static ReferenceIdentifiers forMxHost(String tlsaBaseDomain, String mxHostName, String nextHopDomain,
                                                 String expandedNextHopDomain) {
        return of(tlsaBaseDomain, mxHostName, nextHopDomain, expandedNextHopDomain);
    }

    /**
     * For a destination reached without MX records (the domain's own address, RFC 5321 5.1, or
     * a route to a host name; RFC 7672 2.2.3 and 3.2.2): the TLSA base domain (the host, or its
     * secure CNAME expansion) and the host name as it was asked for.
     */
    public static ReferenceIdentifiers forNonMxHost(String tlsaBaseDomain, String nextHopDomain) {
        return of(tlsaBaseDomain, nextHopDomain);
    }

    @Override
    public String toString() {
        return names.toString();
    }

    /**
     * Lower case, trailing dot dropped; refuses what cannot be an ASCII host name, and wildcards,
     * which belong in certificates, not in what they are checked against (RFC 6125 6.4.3).
     */
    static String normalize(String name) {
        Objects.requireNonNull(name, "reference identifier");
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".")) {
            lower = lower.substring(0, lower.length() - 1);
        }
        if (lower.isEmpty() || lower.startsWith(".") || lower.contains("..")) {
            throw new IllegalArgumentException("not a domain name: \"" + name + "\"");
        }
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (c <= ' ' || c >= 0x7F) {
                throw new IllegalArgumentException("reference identifiers are ASCII (A-labels): \"" + name + "\"");
            }
            if (c == '*') {
                throw new IllegalArgumentException("a reference identifier has no wildcard: \"" + name + "\"");
            }
        }
        return lower;
    }
}
