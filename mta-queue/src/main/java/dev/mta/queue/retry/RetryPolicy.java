package dev.mta.queue.retry;

import dev.mta.queue.Envelope;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What to do about a temporary failure: try again per the {@link RetrySchedule}, but never later
 * than the end of the {@link QueueLifetime}, so the last attempt happens at expiry; once the
 * lifetime is over, give up (the caller bounces the recipient, RFC 5321 4.5.4.1).
 */
public record RetryPolicy(RetrySchedule schedule, QueueLifetime lifetime) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(RetrySchedule.DEFAULT, QueueLifetime.DEFAULT);

    public RetryPolicy {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(lifetime, "lifetime");
    }

    /**
     * When to try again after the {@code attemptsSoFar}-th attempt failed temporarily at
     * {@code now}; empty when the message's lifetime is over and the recipient is to bounce.
     *
     * @param attemptsSoFar attempts made, the failed one included ({@code ClaimedRecipient.attempts() + 1})
     */
    public Optional<Instant> nextAttempt(Envelope envelope, int attemptsSoFar, Instant now) {
        if (lifetime.expired(envelope, now)) {
            return Optional.empty();
        }
        Instant scheduled = schedule.nextAttempt(attemptsSoFar, now);
        Instant expiry = lifetime.expiresAt(envelope);
        return Optional.of(scheduled.isAfter(expiry) ? expiry : scheduled);
    }
}
