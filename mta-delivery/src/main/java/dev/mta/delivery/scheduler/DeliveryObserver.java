package dev.mta.delivery.scheduler;

import dev.mta.delivery.attempt.AttemptResult;
import dev.mta.queue.Settlement;
import java.time.Duration;

/**
 * Told of every settled delivery attempt, once per recipient: where metrics come from. Called on
 * the delivery threads right after the attempt's log line; must not block.
 */
@FunctionalInterface
public interface DeliveryObserver {

    /** Nobody listens. */
    DeliveryObserver NONE = (result, settlement, sinceArrival) -> {
    };

    /**
     * @param result       the attempt: recipient, outcome and the connection it came from
     * @param settlement   what the queue records: delivered, deferred (with the next attempt) or bounced
     * @param sinceArrival from the message's arrival to this settlement
     */
    void settled(AttemptResult result, Settlement settlement, Duration sinceArrival);
}
