package dev.mta.queue.retry;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a recipient that failed temporarily is tried again: exponential back-off from
 * {@code first}, multiplied by {@code factor} after every further failure, never longer than
 * {@code max}. The defaults (5 minutes, doubling, at most an hour) follow Postfix's
 * minimal_backoff_time and maximal_backoff_time. RFC 5321 4.5.4.1 asks for at least 30 minutes
 * between retries in general but allows shorter ones early on; greylisting, the commonest
 * temporary failure, usually lets mail through after 5 minutes.
 *
 * <p>Pure: the caller says what time it is. {@link RetryPolicy} clamps the result to the queue
 * lifetime.
 */
public record RetrySchedule(Duration first, Duration max, double factor) {
    public static final RetrySchedule DEFAULT = new RetrySchedule(Duration.ofMinutes(5), Duration.ofHours(1), 2.0);

    public RetrySchedule {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(max, "max");
        if (first.isNegative() || first.isZero()) {
            throw new IllegalArgumentException("the first retry delay must be positive: " + first);
        }
        if (max.compareTo(first) < 0) {
            throw new IllegalArgumentException("the longest retry delay " + max + " is shorter than the first " + first);
        }
        if (!(factor >= 1.0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("the back-off factor must be a finite number of at least 1: " + factor);
        }
    }

    /**
     * The wait after the {@code attemptsSoFar}-th failed attempt: {@code first} after the first,
     * {@code first * factor} after the second, and so on up to {@code max}.
     *
     * @param attemptsSoFar attempts made, the one that just failed included (at least 1); for a
     *                      claimed recipient that is {@code ClaimedRecipient.attempts() + 1}
     */
    public Duration delayAfter(int attemptsSoFar) {
        if (attemptsSoFar < 1) {
            throw new IllegalArgumentException("count the attempt that just failed: attemptsSoFar = " + attemptsSoFar);
        }
        double nanos = first.toNanos() * Math.pow(factor, attemptsSoFar - 1);
        if (nanos >= max.toNanos()) {
            return max;
        }
        return Duration.ofNanos((long) nanos);
    }

    /** {@code now} plus {@link #delayAfter(int)}. */
    public Instant nextAttempt(int attemptsSoFar, Instant now) {
        Objects.requireNonNull(now, "now");
        return now.plus(delayAfter(attemptsSoFar));
    }
}
