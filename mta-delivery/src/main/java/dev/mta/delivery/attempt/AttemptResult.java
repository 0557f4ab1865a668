package dev.mta.delivery.attempt;

import dev.mta.queue.ClaimedRecipient;
import java.util.Objects;

/** One recipient's outcome in one attempt, and the connection it came from. */
public record AttemptResult(ClaimedRecipient recipient, DeliveryOutcome outcome, Via via) {
    public AttemptResult {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(via, "via");
    }
}
