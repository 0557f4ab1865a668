package dev.mta.server.admin;

import dev.mta.queue.MessageStore;
import dev.mta.queue.QueueSummary;
import dev.mta.queue.RecipientState;
import dev.mta.queue.StoreException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The queue's gauges, read from the store's summary at most every {@link #MAX_AGE} however often
 * Prometheus scrapes (the summary reads every recipient row):
 * {@code mta_queue_messages}, {@code mta_queue_recipients{state}},
 * {@code mta_queue_recipients_by_age{age}} (unsettled recipients by the qshape bucket of their
 * message's age) and {@code mta_queue_oldest_deferred_seconds}.
 */
public final class QueueMetrics {
    static final Duration MAX_AGE = Duration.ofSeconds(15);

    private final MessageStore store;
    private final Clock clock;
    private Optional<QueueSummary> last = Optional.empty();
    private Optional<Instant> oldestDeferred = Optional.empty();

    private QueueMetrics(MessageStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public static QueueMetrics bind(MessageStore store, MeterRegistry registry, Clock clock) {
        QueueMetrics metrics = new QueueMetrics(store, clock);
        Gauge.builder("mta.queue.messages", () -> metrics.summary().map(QueueSummary::messages).orElse(0))
                .description("Messages in the queue").register(registry);
        for (RecipientState state : RecipientState.values()) {
            Gauge.builder("mta.queue.recipients", () -> metrics.summary().map(s -> s.total().count(state)).orElse(0))
                    .tag("state", state.name().toLowerCase(java.util.Locale.ROOT))
                    .description("Queued recipients by state (settled ones wait only for a notice)").register(registry);
        }
        for (QueueSummary.AgeBucket bucket : QueueSummary.AgeBucket.values()) {
            Gauge.builder("mta.queue.recipients.by.age", () -> metrics.summary().map(s -> s.total().count(bucket)).orElse(0))
                    .tag("age", bucket.label())
                    .description("Unsettled recipients by the age of their message").register(registry);
        }
        Gauge.builder("mta.queue.oldest.deferred", metrics::oldestDeferredAge)
                .baseUnit("seconds")
                .description("Age of the oldest message with a deferred recipient, from its arrival; 0 when none")
                .register(registry);
        return metrics;
    }

    private synchronized double oldestDeferredAge() {
        summary();
        return oldestDeferred.map(arrival -> Math.max(0, Duration.between(arrival, clock.instant()).toMillis() / 1000.0))
                .orElse(0.0);
    }

    private synchronized Optional<QueueSummary> summary() {
        Instant now = clock.instant();
        if (last.isEmpty() || !now.isBefore(last.get().at().plus(MAX_AGE))) {
            try {
                last = Optional.of(store.summary(now, 0));
                oldestDeferred = store.oldestDeferred();
            } catch (StoreException | RuntimeException e) {
                // A closed or failing store: the last numbers stay until it answers again.
                return last;
            }
        }
        return last;
    }
}
