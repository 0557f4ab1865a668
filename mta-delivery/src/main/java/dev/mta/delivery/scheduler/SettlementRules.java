package dev.mta.delivery.scheduler;

import dev.mta.delivery.attempt.DeliveryOutcome;
import dev.mta.delivery.notice.NotifyRules;
import dev.mta.queue.ClaimedRecipient;
import dev.mta.queue.Settlement;
import dev.mta.queue.retry.RetryPolicy;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns an attempt's outcome into what the queue records: the retry schedule for deferrals, the
 * queue lifetime (a deferral after it bounces), and which notices the sender is owed.
 */
final class SettlementRules {
    private final RetryPolicy retry;

    SettlementRules(RetryPolicy retry) {
        this.retry = retry;
    }

    Settlement settle(ClaimedRecipient claimed, DeliveryOutcome outcome, Instant now) {
        return switch (outcome) {
            case DeliveryOutcome.Delivered delivered -> new Settlement.Delivered(delivered.diagnosis(),
                    NotifyRules.wantsRelayedNotice(claimed.recipient(), delivered.nextHopTookDsn()));
            case DeliveryOutcome.Bounced bounced -> new Settlement.Bounced(bounced.diagnosis(),
                    NotifyRules.wantsFailure(claimed.recipient()));
            case DeliveryOutcome.Deferred deferred -> {
                Optional<Instant> next = retry.nextAttempt(claimed.envelope(), claimed.attempts() + 1, now);
                if (next.isEmpty()) {
                    // Expired: the last temporary reason, as the DSN reports it (RFC 3463 2: a
                    // 4.x.x status with a failure says a later retry might have worked).
                    yield new Settlement.Bounced(deferred.diagnosis(), NotifyRules.wantsFailure(claimed.recipient()));
                }
                yield new Settlement.Deferred(deferred.diagnosis(), next.get());
            }
        };
    }
}
