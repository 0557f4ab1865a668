package dev.mta.server.admin;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The route table: finds the route for a method and path. An exact path wins over a prefix, a
 * longer prefix over a shorter one. A path some route knows, asked with another method, is told
 * which methods it has (RFC 9110 15.5.6); any other path is not found.
 */
final class AdminRoutes {
    private final List<AdminRoute> routes;

    AdminRoutes(List<AdminRoute> routes) {
        this.routes = List.copyOf(routes);
        for (int i = 0; i < this.routes.size(); i++) {
            for (int j = i + 1; j < this.routes.size(); j++) {
                AdminRoute a = this.routes.get(i);
                AdminRoute b = this.routes.get(j);
                if (a.method().equals(b.method()) && a.path().equals(b.path()) && a.prefix() == b.prefix()) {
                    throw new IllegalArgumentException("two routes for " + a.method() + " " + a.path());
                }
            }
        }
    }

    /** What the table says about a request. */
    sealed interface Match {
        record Found(AdminRoute route) implements Match {
        }

        /** @param allow the methods the path has, for the Allow header */
        record WrongMethod(String allow) implements Match {
        }

        record NotFound() implements Match {
        }
    }

    Match find(String method, String path) {
        Optional<AdminRoute> found = best(path, method);
        if (found.isPresent()) {
            return new Match.Found(found.get());
        }
        TreeSet<String> allowed = new TreeSet<>();
        for (AdminRoute route : routes) {
            if (route.matches(path)) {
                allowed.add(route.method());
            }
        }
        return allowed.isEmpty() ? new Match.NotFound() : new Match.WrongMethod(String.join(", ", allowed));
    }

    private Optional<AdminRoute> best(String path, String method) {
        AdminRoute best = null;
        for (AdminRoute route : routes) {
            if (!route.method().equals(method) || !route.matches(path)) {
                continue;
            }
            if (!route.prefix()) {
                return Optional.of(route);
            }
            if (best == null || route.path().length() > best.path().length()) {
                best = route;
            }
        }
        return Optional.ofNullable(best);
    }
}
