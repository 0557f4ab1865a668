package dev.mta.delivery.route;

import java.util.List;

/** Where mail for one domain goes now, or why it cannot go. */
public sealed interface RouteResult {

    /** Hosts to try in this order; the first that takes the mail ends the attempt. */
    record Hosts(List<NextHop> hosts) implements RouteResult {
        public Hosts {
            hosts = List.copyOf(hosts);
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException("a route needs at least one host");
            }
        }
    }

    /** Try again later (DNS failure): every recipient of the domain is deferred. */
    record Defer(String status, String reason) implements RouteResult {
    }

    /** The domain cannot receive mail: every recipient of the domain is bounced. */
    record Bounce(String status, String reason) implements RouteResult {
    }
}
