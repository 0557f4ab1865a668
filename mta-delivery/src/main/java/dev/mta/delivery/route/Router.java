package dev.mta.delivery.route;

import dev.mta.security.dns.DnsResolver;
import dev.mta.security.dns.DnsResult;
import dev.mta.security.dns.DnsSecurity;
import dev.mta.security.dns.MxRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Decides where mail for a domain goes: a static route if one matches, else the domain's MX hosts
 * (RFC 5321 5.1) in preference order with equal preferences shuffled, the domain itself when it
 * has no MX records, nowhere when it publishes a null MX (RFC 7505) or does not exist. A DNS
 * failure defers the domain; it never turns into a bounce or an implicit MX.
 */
public final class Router {
    private final DnsResolver dns;
    private final Supplier<StaticRoutes> routes;
    private final SelfIdentity self;
    private final int defaultPort;
    private final RandomGenerator random;

    private static Supplier<StaticRoutes> constant(StaticRoutes routes) {
        Objects.requireNonNull(routes, "routes");
        return () -> routes;
    }

    public Router(DnsResolver dns, StaticRoutes routes, SelfIdentity self, int defaultPort, RandomGenerator random) {
        this(dns, constant(routes), self, defaultPort, random);
    }

    /** @param routes read at each lookup, so the table can be replaced while delivery runs (a reload) */
    public Router(DnsResolver dns, Supplier<StaticRoutes> routes, SelfIdentity self, int defaultPort, RandomGenerator random) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.routes = Objects.requireNonNull(routes, "routes");
        this.self = Objects.requireNonNull(self, "self");
        this.defaultPort = defaultPort;
        this.random = Objects.requireNonNull(random, "random");
    }

    public RouteResult route(String domain) {
        String name = domain.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            // An address literal (RFC 5321 4.1.3) names the host itself: no DNS.
            String literal = name.substring(1, name.length() - 1);
            if (literal.startsWith("ipv6:")) {
                literal = literal.substring(5);
            }
            return new RouteResult.Hosts(List.of(new NextHop(literal, 0, defaultPort, DnsSecurity.INSECURE, Optional.empty())));
        }
        Optional<StaticRoute> route = routes.get().find(name);
        if (route.isPresent()) {
            RelayHost relayHost = route.get().relayHost();
            int port = relayHost.portOr(defaultPort);
            if (!relayHost.lookupMx()) {
                return new RouteResult.Hosts(List.of(new NextHop(relayHost.host(), 0, port, DnsSecurity.INSECURE, route)));
            }
            return mxHosts(relayHost.host(), port, route);
        }
        return mxHosts(name, defaultPort, Optional.empty());
    }

    private RouteResult mxHosts(String domain, int port, Optional<StaticRoute> route) {
        DnsResult<MxRecord> answer = dns.mx(domain);
        boolean unanswered = answer instanceof DnsResult.Failed<MxRecord> && answer.security() != DnsSecurity.BOGUS;
        if (!unanswered && (answer.security() == DnsSecurity.BOGUS || answer.security() == DnsSecurity.INDETERMINATE)) {
            // RFC 7672 2.1.1: a bogus or indeterminate MX answer is never used, and never a reason
            // to bounce or to fall back to the domain's address: the domain waits.
            String why = answer instanceof DnsResult.Failed<MxRecord> failed ? ": " + failed.reason() : "";
            return new RouteResult.Defer("4.7.5", "the MX records of " + domain + " failed DNSSEC validation ("
                    + answer.security().name().toLowerCase(java.util.Locale.ROOT) + ")" + why);
        }
        return switch (answer) {
            case DnsResult.Found<MxRecord> found -> fromMxRecords(domain, port, route, found);
            // RFC 5321 5.1: no MX records, the domain itself is the host (implicit MX).
            case DnsResult.NoData<MxRecord> noData -> withoutSelf(domain,
                    List.of(new NextHop(domain, 0, port, noData.security(), route)));
            case DnsResult.NxDomain<MxRecord> ignored ->
                    new RouteResult.Bounce("5.1.2", "Host or domain name not found: " + domain + " does not exist (NXDOMAIN)");
            case DnsResult.Failed<MxRecord> failed ->
                    new RouteResult.Defer("4.4.3", "MX lookup of " + domain + " failed: " + failed.reason());
        };
    }

    private RouteResult fromMxRecords(String domain, int port, Optional<StaticRoute> route, DnsResult.Found<MxRecord> found) {
        List<MxRecord> records = found.records();
        if (records.size() == 1 && records.getFirst().isNullMx()) {
            return new RouteResult.Bounce("5.1.10", "Domain " + domain + " does not accept mail (null MX, RFC 7505)");
        }
        // A null MX among real ones is malformed (RFC 7505 3): ignore it, use the others.
        List<MxRecord> usable = new ArrayList<>(records.stream().filter(r -> !r.isNullMx()).toList());
        if (usable.isEmpty()) {
            return new RouteResult.Bounce("5.1.10", "Domain " + domain + " does not accept mail (null MX, RFC 7505)");
        }
        shuffleEqualPreferences(usable);
        List<NextHop> hosts = new ArrayList<>();
        for (MxRecord record : usable) {
            hosts.add(new NextHop(record.host(), record.preference(), port, found.security(), route));
        }
        return withoutSelf(domain, hosts);
    }

    /**
     * RFC 5321 5.1: a client that finds itself among the MX hosts discards that host and every
     * host of equal or higher preference; mail for which nothing is left loops (5.4.6).
     */
    private RouteResult withoutSelf(String domain, List<NextHop> hosts) {
        int ownPreference = hosts.stream().filter(h -> self.isSelf(h.host()))
                .mapToInt(NextHop::preference).min().orElse(Integer.MAX_VALUE);
        List<NextHop> remaining = hosts.stream().filter(h -> h.preference() < ownPreference).toList();
        if (remaining.isEmpty()) {
            return new RouteResult.Bounce("5.4.6", "mail for " + domain + " loops back to myself");
        }
        return new RouteResult.Hosts(remaining);
    }

    private void shuffleEqualPreferences(List<MxRecord> records) {
        records.sort(Comparator.comparingInt(MxRecord::preference));
        int start = 0;
        while (start < records.size()) {
            int end = start;
            while (end < records.size() && records.get(end).preference() == records.get(start).preference()) {
                end++;
            }
            // Fisher-Yates over [start, end): spreads load over hosts of equal preference.
            for (int i = end - 1; i > start; i--) {
                int j = start + random.nextInt(i - start + 1);
                MxRecord swap = records.get(i);
                records.set(i, records.get(j));
                records.set(j, swap);
            }
            start = end;
        }
    }
}
