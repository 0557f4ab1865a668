package dev.mta.queue.retry;

import dev.mta.queue.Envelope;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How long a message may wait in the queue, counted from its arrival, before a recipient that
 * still fails temporarily is bounced (RFC 5321 4.5.4.1: "give up" time of at least 4-5 days).
 * Notices the relay wrote itself (DSNs, postmaster notices) get a shorter lifetime: no one
 * resends them, and a sender whose address bounces is often gone for good. Postfix calls these
 * maximal_queue_lifetime (5d) and bounce_queue_lifetime (5d there; 2d here).
 *
 * @param messages lifetime of submitted mail
 * @param notices  lifetime of mail with an origin other than {@link Envelope.Origin#SUBMITTED}
 */
public record QueueLifetime(Duration messages, Duration notices) {
    public static final QueueLifetime DEFAULT = new QueueLifetime(Duration.ofDays(5), Duration.ofDays(2));

    public QueueLifetime {
        requirePositive(messages, "messages");
        requirePositive(notices, "notices");
    }

    /** The moment the message's lifetime ends: its arrival plus the lifetime for its origin. */
    public Instant expiresAt(Envelope envelope) {
        return envelope.receivedAt().plus(envelope.isNotice() ? notices : messages);
    }

    /** Whether the lifetime is over at {@code now}: from the expiry instant on, inclusive. */
    public boolean expired(Envelope envelope, Instant now) {
        Objects.requireNonNull(now, "now");
        return !now.isBefore(expiresAt(envelope));
    }

    private static void requirePositive(Duration lifetime, String what) {
        Objects.requireNonNull(lifetime, what);
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("the queue lifetime of " + what + " must be positive: " + lifetime);
        }
    }
}
