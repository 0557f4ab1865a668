package dev.mta.queue.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.Envelope;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A temporary failure is retried on schedule, the last time at expiry, then bounced. */
class RetryPolicyTest {
    private static final Instant RECEIVED = QueueLifetimeTest.RECEIVED;
    private static final Envelope SUBMITTED = QueueLifetimeTest.envelope(Envelope.Origin.SUBMITTED);
    private static final Envelope NOTICE = QueueLifetimeTest.envelope(Envelope.Origin.DELIVERY_NOTICE);
    private final RetryPolicy policy = RetryPolicy.DEFAULT;

    @Test
    void wellInsideTheLifetimeTheScheduleDecides() {
        Instant now = RECEIVED.plus(Duration.ofHours(2));

        assertThat(policy.nextAttempt(SUBMITTED, 3, now)).contains(now.plus(Duration.ofMinutes(20)));
    }

    @Test
    void aNextAttemptPastTheExpiryIsMovedToTheExpiry() {
        Instant expiry = RECEIVED.plus(Duration.ofDays(5));
        Instant now = expiry.minus(Duration.ofMinutes(10));

        assertThat(policy.nextAttempt(SUBMITTED, 30, now)).contains(expiry);
    }

    @Test
    void atOrAfterTheExpiryThereIsNoNextAttempt() {
        Instant expiry = RECEIVED.plus(Duration.ofDays(5));

        assertThat(policy.nextAttempt(SUBMITTED, 31, expiry)).isEmpty();
        assertThat(policy.nextAttempt(SUBMITTED, 31, expiry.plusSeconds(90))).isEmpty();
    }

    @Test
    void noticesExpireAfterTheirOwnShorterLifetime() {
        Instant noticeExpiry = RECEIVED.plus(Duration.ofDays(2));

        assertThat(policy.nextAttempt(NOTICE, 20, noticeExpiry.minus(Duration.ofMinutes(1)))).contains(noticeExpiry);
        assertThat(policy.nextAttempt(NOTICE, 21, noticeExpiry)).isEmpty();
        assertThat(policy.nextAttempt(SUBMITTED, 21, noticeExpiry)).contains(noticeExpiry.plus(Duration.ofHours(1)));
    }
}
