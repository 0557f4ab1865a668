package dev.mta.queue.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QueueLifetimeTest {
    static final Instant RECEIVED = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void submittedMailLivesFiveDaysAndNoticesTwoByDefault() {
        assertThat(QueueLifetime.DEFAULT).isEqualTo(new QueueLifetime(Duration.ofDays(5), Duration.ofDays(2)));
        assertThat(QueueLifetime.DEFAULT.expiresAt(envelope(Envelope.Origin.SUBMITTED)))
                .isEqualTo(RECEIVED.plus(Duration.ofDays(5)));
        assertThat(QueueLifetime.DEFAULT.expiresAt(envelope(Envelope.Origin.DELIVERY_NOTICE)))
                .isEqualTo(RECEIVED.plus(Duration.ofDays(2)));
        assertThat(QueueLifetime.DEFAULT.expiresAt(envelope(Envelope.Origin.POSTMASTER_NOTICE)))
                .isEqualTo(RECEIVED.plus(Duration.ofDays(2)));
    }

    @Test
    void aMessageIsExpiredFromTheExpiryInstantOn() {
        Envelope envelope = envelope(Envelope.Origin.SUBMITTED);
        Instant expiry = RECEIVED.plus(Duration.ofDays(5));

        assertThat(QueueLifetime.DEFAULT.expired(envelope, expiry.minusNanos(1))).isFalse();
        assertThat(QueueLifetime.DEFAULT.expired(envelope, expiry)).isTrue();
        assertThat(QueueLifetime.DEFAULT.expired(envelope, expiry.plusSeconds(1))).isTrue();
    }

    @Test
    void lifetimesMustBePositive() {
        assertThatThrownBy(() -> new QueueLifetime(Duration.ZERO, Duration.ofDays(2)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QueueLifetime(Duration.ofDays(5), Duration.ofDays(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static Envelope envelope(Envelope.Origin origin) {
        return new Envelope(origin == Envelope.Origin.SUBMITTED ? "alice@example.org" : "",
                List.of(EnvelopeRecipient.of("bob@example.net")), Envelope.BodyType.SEVEN_BIT, false, Optional.empty(),
                Optional.empty(), new Envelope.ClientInfo("127.0.0.1", "relay.example", Optional.empty()), RECEIVED, origin);
    }
}
