package dev.mta.server.admin;

import dev.mta.queue.MessageStore;
import dev.mta.queue.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The status page at {@code /} (also {@code /status}) and its data at {@code /api/status}: the
 * queue's summary and the last 24 hours of delivery. The page opens in a browser with a session
 * from the login form where a token is required (see {@link AdminSessions}); the JSON is for
 * scripts, which send the token.
 */
public final class StatusResource {
    private final MessageStore store;
    private final DeliveryHistory history;
    private final Clock clock;
    private final String relayName;

    private StatusResource(MessageStore store, DeliveryHistory history, Clock clock, String relayName) {
        this.store = store;
        this.history = history;
        this.clock = clock;
        this.relayName = relayName;
    }

    /** @param relayName the relay's host name, the page's title */
    public static List<AdminRoute> routes(MessageStore store, DeliveryHistory history, Clock clock, String relayName) {
        StatusResource status = new StatusResource(store, history, clock, relayName);
        AdminResource page = request -> status.page();
        return List.of(
                AdminRoute.get("/", page).forBrowsers(),
                AdminRoute.get("/status", page).forBrowsers(),
                AdminRoute.get("/api/status", request -> AdminResponse.json(200, status.report().json().toString())));
    }

    StatusReport report() throws StoreException {
        Instant now = clock.instant();
        return new StatusReport(now, store.summary(now, StatusReport.TOP_REASONS), history.snapshot(StatusReport.TOP_REASONS));
    }

    private AdminResponse page() throws StoreException {
        return AdminResponse.html(200, StatusPage.render(report(), relayName))
                .withHeader("Content-Security-Policy", StatusPage.CONTENT_SECURITY_POLICY)
                .withHeader("X-Content-Type-Options", "nosniff")
                .withHeader("Referrer-Policy", "no-referrer");
    }
}
