package dev.mta.delivery.route;

import dev.mta.security.dns.DnsResolver;
import dev.mta.security.dns.DnsResult;
import dev.mta.security.dns.DnsSecurity;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Finds the addresses of a next-hop host, preferred family first (Postfix's
 * smtp_address_preference). One family failing does not hide the other's addresses; the host is
 * "not found" only when every family answered definitely with nothing.
 */
public final class AddressResolver {
    private final DnsResolver dns;
    private final List<AddressFamily> families;

    public AddressResolver(DnsResolver dns, List<AddressFamily> families) {
        this.dns = Objects.requireNonNull(dns, "dns");
        if (families.isEmpty()) {
            throw new IllegalArgumentException("at least one address family is needed");
        }
        this.families = List.copyOf(families);
    }

    public HostAddresses resolve(String host) {
        if (isLiteral(host)) {
            try {
                return new HostAddresses.Found(List.of(InetAddress.getByName(host)), DnsSecurity.INSECURE);
            } catch (UnknownHostException e) {
                return new HostAddresses.NotFound("'" + host + "' is not an IP address");
            }
        }
        List<InetAddress> addresses = new ArrayList<>();
        DnsSecurity security = DnsSecurity.SECURE;
        java.util.Optional<String> canonical = java.util.Optional.empty();
        List<String> failures = new ArrayList<>();
        List<String> absences = new ArrayList<>();
        for (AddressFamily family : families) {
            String type = family == AddressFamily.IPV6 ? "AAAA" : "A";
            DnsResult<InetAddress> answer = family == AddressFamily.IPV6 ? dns.ipv6(host) : dns.ipv4(host);
            if (answer.security() == DnsSecurity.BOGUS) {
                failures.add(type + " records failed DNSSEC validation");
                continue;
            }
            switch (answer) {
                case DnsResult.Found<InetAddress> found -> {
                    addresses.addAll(found.records());
                    security = weaker(security, found.security());
                    if (canonical.isEmpty()) {
                        canonical = found.canonicalName();
                    }
                }
                case DnsResult.NoData<InetAddress> ignored -> absences.add("no " + type + " record");
                case DnsResult.NxDomain<InetAddress> ignored -> absences.add("no such host (NXDOMAIN)");
                case DnsResult.Failed<InetAddress> failed -> failures.add(type + " lookup failed: " + failed.reason());
            }
        }
        if (!addresses.isEmpty()) {
            return new HostAddresses.Found(addresses, security, canonical);
        }
        if (!failures.isEmpty()) {
            return new HostAddresses.Failed(host + ": " + String.join("; ", failures));
        }
        return new HostAddresses.NotFound(host + ": " + String.join("; ", absences.stream().distinct().toList()));
    }

    /** SECURE is best, then INSECURE, INDETERMINATE, BOGUS. */
    public static DnsSecurity weaker(DnsSecurity a, DnsSecurity b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(DnsSecurity security) {
        return switch (security) {
            case SECURE -> 0;
            case INSECURE -> 1;
            case INDETERMINATE -> 2;
            case BOGUS -> 3;
        };
    }

    private static boolean isLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    }
}
