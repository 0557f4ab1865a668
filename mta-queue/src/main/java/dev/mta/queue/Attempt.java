package dev.mta.queue;

import java.time.Instant;
import java.util.Objects;

/**
 * One recorded delivery attempt for one recipient, from the store's attempt history (mox keeps
 * the same per-attempt record); {@code mta queue show} prints them.
 *
 * @param recipient   which recipient was attempted
 * @param attemptedAt when the outcome was settled, by the store's clock
 * @param worker      the lease owner that made the attempt
 * @param outcome     DELIVERED, DEFERRED or BOUNCED
 * @param diagnosis   status, reply and remote MTA of the attempt
 */
public record Attempt(RecipientRef recipient, Instant attemptedAt, String worker, RecipientState outcome,
        Diagnosis diagnosis) {
    public Attempt {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(attemptedAt, "attemptedAt");
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(diagnosis, "diagnosis");
    }

    /** What the next hop (or the relay itself) said. */
    public String reply() {
        return diagnosis.text();
    }
}
