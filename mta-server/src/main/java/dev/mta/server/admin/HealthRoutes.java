package dev.mta.server.admin;

import java.util.List;

/**
 * The monitoring routes: {@code /health/live}, {@code /health/ready} (also {@code /health}) and
 * {@code /metrics}. They answer on the event loop: they read flags and meters, never the store.
 */
final class HealthRoutes {
    private HealthRoutes() {
    }

    static List<AdminRoute> of(RelayMetrics metrics, List<ReadinessCheck> readiness) {
        List<ReadinessCheck> checks = List.copyOf(readiness);
        AdminResource ready = request -> ready(checks);
        return List.of(
                AdminRoute.get("/health/live", request -> AdminResponse.json(200, "{\"status\":\"up\"}")).onEventLoop(),
                AdminRoute.get("/health/ready", ready).onEventLoop(),
                AdminRoute.get("/health", ready).onEventLoop(),
                AdminRoute.get("/metrics", request -> new AdminResponse(200, RelayMetrics.CONTENT_TYPE, metrics.scrape(),
                        java.util.Map.of())).onEventLoop());
    }

    /** {"status":"down","checks":{"queue-store":"up","smtp-listeners":"down"}} and 503 when any check fails. */
    private static AdminResponse ready(List<ReadinessCheck> readiness) {
        StringBuilder checks = new StringBuilder();
        boolean allPassing = true;
        for (ReadinessCheck check : readiness) {
            boolean passing = check.passing().getAsBoolean();
            allPassing &= passing;
            checks.append(checks.isEmpty() ? "" : ",")
                    .append('"').append(check.name()).append("\":\"").append(passing ? "up" : "down").append('"');
        }
        String body = "{\"status\":\"" + (allPassing ? "up" : "down") + "\",\"checks\":{" + checks + "}}";
        return AdminResponse.json(allPassing ? 200 : 503, body);
    }
}
