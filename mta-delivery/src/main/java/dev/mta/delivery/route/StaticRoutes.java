package dev.mta.delivery.route;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The routing table, matched as Postfix's transport maps are: the domain itself
 * ({@code example.com}), then each parent written with a leading dot ({@code .example.com} matches
 * every subdomain), then the default route ({@code *}), if any. Keys are case-insensitive.
 */
public final class StaticRoutes {
    public static final String DEFAULT_KEY = "*";

    private final Map<String, StaticRoute> routes;

    private StaticRoutes(Map<String, StaticRoute> routes) {
        this.routes = routes;
    }

    public static StaticRoutes none() {
        return new StaticRoutes(Map.of());
    }

    /** @throws IllegalArgumentException naming the key that is not a domain, {@code .domain} or {@code *} */
    public static StaticRoutes of(Map<String, StaticRoute> table) {
        Map<String, StaticRoute> normalised = new LinkedHashMap<>();
        for (Map.Entry<String, StaticRoute> entry : table.entrySet()) {
            String key = entry.getKey().strip().toLowerCase(Locale.ROOT);
            if (key.endsWith(".") && key.length() > 1) {
                key = key.substring(0, key.length() - 1);
            }
            String domain = key.startsWith(".") ? key.substring(1) : key;
            if (!key.equals(DEFAULT_KEY) && !domain.matches("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*")) {
                throw new IllegalArgumentException("'" + entry.getKey() + "' is not a domain, '.domain' or '*'");
            }
            if (normalised.put(key, entry.getValue()) != null) {
                throw new IllegalArgumentException("'" + entry.getKey() + "' is listed twice");
            }
        }
        return new StaticRoutes(Map.copyOf(normalised));
    }

    public Optional<StaticRoute> find(String domain) {
        String name = domain.toLowerCase(Locale.ROOT);
        StaticRoute exact = routes.get(name);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
            StaticRoute parent = routes.get(name.substring(dot));
            if (parent != null) {
                return Optional.of(parent);
            }
        }
        return Optional.ofNullable(routes.get(DEFAULT_KEY));
    }

    public boolean isEmpty() {
        return routes.isEmpty();
    }
}
