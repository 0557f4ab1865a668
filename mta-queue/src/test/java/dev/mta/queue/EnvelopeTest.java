package dev.mta.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvelopeTest {
    private static final Envelope.ClientInfo CLIENT = new Envelope.ClientInfo("192.0.2.10", "client", Optional.empty());
    private static final Instant RECEIVED = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void theConstructorWithoutAnOriginMakesASubmittedMessage() {
        Envelope envelope = new Envelope("alice@example.org", List.of(EnvelopeRecipient.of("bob@example.net")),
                Envelope.BodyType.SEVEN_BIT, false, Optional.empty(), Optional.empty(), CLIENT, RECEIVED);

        assertThat(envelope.origin()).isEqualTo(Envelope.Origin.SUBMITTED);
        assertThat(envelope.isNotice()).isFalse();
    }

    @Test
    void noticesWrittenByTheRelayAreMarkedAsSuch() {
        assertThat(notice("", Envelope.Origin.DELIVERY_NOTICE).isNotice()).isTrue();
        assertThat(notice("", Envelope.Origin.POSTMASTER_NOTICE).isNotice()).isTrue();
    }

    /** RFC 3461 6.2, RFC 5321 4.5.5: a DSN has the null reverse-path, so it never causes another. */
    @Test
    void aDeliveryNoticeMustHaveTheNullSender() {
        assertThatThrownBy(() -> notice("mailer-daemon@relay.example", Envelope.Origin.DELIVERY_NOTICE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null sender");
    }

    private static Envelope notice(String sender, Envelope.Origin origin) {
        return new Envelope(sender, List.of(EnvelopeRecipient.of("alice@example.org")), Envelope.BodyType.SEVEN_BIT,
                false, Optional.empty(), Optional.empty(), CLIENT, RECEIVED, origin);
    }
}
