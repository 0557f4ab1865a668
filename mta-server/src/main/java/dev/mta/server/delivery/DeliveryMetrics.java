package dev.mta.server.delivery;

import dev.mta.delivery.smtpclient.ConnectionCounts;
import dev.mta.security.dns.DnsLookup;
import java.util.Locale;
import java.util.function.IntSupplier;

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
 * <li>{@code mta_delivery_connections{state}}: outbound connections open, in-use or idle (kept for reuse);</li>
 * <li>{@code mta_dns_lookups_total{type, rcode, dnssec, cache}}: delivery's DNS lookups;</li>
 * <li>{@code mta_sts_policies_cached}: MTA-STS policies in the cache;</li>
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

    /** Counts one DNS lookup of delivery's (the name looked up is not a tag: it would be unbounded). */
    public void lookup(DnsLookup lookup) {
        Counter.builder("mta.dns.lookups").description("DNS lookups by type, rcode, DNSSEC status and cache")
                .tag("type", lookup.type()).tag("rcode", lookup.rcode())
                .tag("dnssec", lookup.security().name().toLowerCase(Locale.ROOT))
                .tag("cache", lookup.fromCache() ? "hit" : "miss")
                .register(registry).increment();
    }

    /**
     * The gauges read at each scrape: attempts running, outbound connections (in use and idle for
     * reuse), and MTA-STS policies cached (counted at most once a minute: it reads every record).
     */
    public void bind(Supplier<DeliveryService> service, Supplier<ConnectionCounts> connections, IntSupplier stsPolicies) {
        Gauge.builder("mta.delivery.attempts.in.flight", () -> service.get().attemptsInFlight())
                .description("Delivery attempts running now, each holding an outbound connection slot")
                .register(registry);
        Gauge.builder("mta.delivery.connections", () -> connections.get().inUse())
                .description("Outbound SMTP connections open now").tag("state", "in-use").register(registry);
        Gauge.builder("mta.delivery.connections", () -> connections.get().idle())
                .description("Outbound SMTP connections open now").tag("state", "idle").register(registry);
        Memo stsCount = new Memo(stsPolicies, java.time.Duration.ofMinutes(1));
        Gauge.builder("mta.sts.policies.cached", stsCount::get)
                .description("MTA-STS policies in the cache (RFC 8461 5.1)").register(registry);
    }

    /** A count that is expensive to take, taken again only when the last one is older than maxAge. */
    private static final class Memo {
        private final IntSupplier source;
        private final long maxAgeNanos;
        private long takenAt;
        private int value = -1;

        Memo(IntSupplier source, java.time.Duration maxAge) {
            this.source = source;
            this.maxAgeNanos = maxAge.toNanos();
        }

        synchronized int get() {
            long now = System.nanoTime();
            if (value < 0 || now - takenAt >= maxAgeNanos) {
                value = source.getAsInt();
                takenAt = now;
            }
            return value;
        }
    }
}
