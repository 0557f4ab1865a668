package dev.mta.server.delivery;

import dev.mta.delivery.attempt.AttemptResult;
import dev.mta.delivery.scheduler.DeliveryObserver;
import dev.mta.delivery.scheduler.DeliveryService;
import dev.mta.queue.Settlement;
import dev.mta.security.tlsrpt.SessionOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The delivery side's meters:
 * <ul>
 * <li>{@code mta_delivery_recipients_total{outcome, tls}}: every settled attempt per recipient,
 *     by outcome (delivered, deferred, bounced) and by how the hop was secured (dane-ee,
 *     dane-ta, sts, verified, fingerprint, encrypted, none);</li>
 * <li>{@code mta_delivery_delay_seconds{outcome}}: from arrival to that settlement;</li>
 * <li>{@code mta_delivery_attempts_in_flight}: attempts running now;</li>
 * <li>{@code mta_tls_sessions_total{policy, result}}: every outbound TLS session as TLS-RPT sees it,
 *     by policy type and RFC 8460 result type ({@code success} for none).</li>
 * </ul>
 */
public final class DeliveryMetrics implements DeliveryObserver {
    private final MeterRegistry registry;

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void settled(AttemptResult result, Settlement settlement, Duration sinceArrival) {
        String outcome = switch (settlement) {
            case Settlement.Delivered ignored -> "delivered";
            case Settlement.Deferred ignored -> "deferred";
            case Settlement.Bounced ignored -> "bounced";
        };
        Counter.builder("mta.delivery.recipients").description("Settled delivery attempts, one per recipient")
                .tag("outcome", outcome).tag("tls", result.via().tlsMode())
                .register(registry).increment();
        Timer.builder("mta.delivery.delay").description("From a message's arrival to the settlement of a recipient")
                .tag("outcome", outcome).publishPercentileHistogram()
                .register(registry).record(sinceArrival.isNegative() ? Duration.ZERO : sinceArrival);
    }

    /** Counts one outbound TLS session (RFC 8460 4.3 result types). */
    public void session(SessionOutcome outcome) {
        Counter.builder("mta.tls.sessions").description("Outbound TLS sessions by policy type and result")
                .tag("policy", outcome.policy().type().rfcName())
                .tag("result", outcome.failure().map(f -> f.resultType().rfcName()).orElse("success"))
                .register(registry).increment();
    }

    /** Attempts running now, read from the delivery service at each scrape. */
    public void bind(Supplier<DeliveryService> service) {
        Gauge.builder("mta.delivery.attempts.in.flight", () -> service.get().attemptsInFlight())
                .description("Delivery attempts running now, each holding an outbound connection slot")
                .register(registry);
    }
}
