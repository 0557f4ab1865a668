package dev.mta.delivery.route;

import dev.mta.security.policy.DomainTable;
import java.util.Map;
import java.util.Optional;

/**
 * The routing table, matched as Postfix's transport maps are (see {@link DomainTable}): the
 * domain itself, then {@code .parent} entries, then the default route {@code *}.
 */
public final class StaticRoutes {
    public static final String DEFAULT_KEY = DomainTable.DEFAULT_KEY;

    private final DomainTable<StaticRoute> routes;

    private StaticRoutes(DomainTable<StaticRoute> routes) {
        this.routes = routes;
    }

    public static StaticRoutes none() {
        return new StaticRoutes(DomainTable.empty());
    }

    /** @throws IllegalArgumentException naming the key that is not a domain, {@code .domain} or {@code *} */
    public static StaticRoutes of(Map<String, StaticRoute> table) {
        return new StaticRoutes(DomainTable.of(table));
    }

    public Optional<StaticRoute> find(String domain) {
        return routes.find(domain);
    }

    public boolean isEmpty() {
        return routes.isEmpty();
    }
}
