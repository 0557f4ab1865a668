package dev.mta.queue.h2;

import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/** Envelopes for tests: a plain submission from a local client. */
final class Envelopes {
    static final Instant RECEIVED = Instant.parse("2026-03-01T10:00:00Z");

    private Envelopes() {
    }

    static Envelope to(String... recipients) {
        return receivedAt(RECEIVED, recipients);
    }

    static Envelope receivedAt(Instant receivedAt, String... recipients) {
        return from("alice@example.org", receivedAt, recipients);
    }

    static Envelope from(String sender, Instant receivedAt, String... recipients) {
        return withRecipients(sender, receivedAt, Arrays.stream(recipients).map(EnvelopeRecipient::of).toList());
    }

    static Envelope withRecipients(String sender, Instant receivedAt, java.util.List<EnvelopeRecipient> recipients) {
        return new Envelope(sender, recipients,
                Envelope.BodyType.SEVEN_BIT, false, Optional.empty(), Optional.empty(),
                new Envelope.ClientInfo("192.0.2.10", "client.example.org", Optional.empty()),
                receivedAt);
    }
}
