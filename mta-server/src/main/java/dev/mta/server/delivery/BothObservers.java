package dev.mta.server.delivery;

import dev.mta.delivery.attempt.AttemptResult;
import dev.mta.delivery.scheduler.DeliveryObserver;
import dev.mta.queue.Settlement;
import java.time.Duration;
import java.util.Objects;

/** Tells two observers of each settled attempt; one that fails does not keep it from the other. */
record BothObservers(DeliveryObserver first, DeliveryObserver second) implements DeliveryObserver {

    BothObservers {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
    }

    @Override
    public void settled(AttemptResult result, Settlement settlement, Duration sinceArrival) {
        try {
            first.settled(result, settlement, sinceArrival);
        } finally {
            second.settled(result, settlement, sinceArrival);
        }
    }
}
