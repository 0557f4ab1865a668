package dev.mta.server.delivery;

import dev.mta.delivery.route.StaticRoutes;
import dev.mta.security.policy.DestinationPolicy;
import dev.mta.security.policy.DomainTable;
import dev.mta.server.config.DeliveryConfig;

/**
 * The operator's tables per destination, which a reload replaces while delivery runs: the routes
 * (relay hosts) and the TLS policies. Each attempt reads the tables in force when it starts.
 */
public final class DestinationTables {
    private volatile StaticRoutes routes;
    private volatile DomainTable<DestinationPolicy> policies;

    DestinationTables(DeliveryConfig delivery) {
        replace(delivery);
    }

    StaticRoutes routes() {
        return routes;
    }

    DomainTable<DestinationPolicy> policies() {
        return policies;
    }

    /** The tables of {@code delivery} from the next attempt on. */
    public void replace(DeliveryConfig delivery) {
        routes = delivery.routes();
        policies = delivery.tlsPolicies();
    }
}
