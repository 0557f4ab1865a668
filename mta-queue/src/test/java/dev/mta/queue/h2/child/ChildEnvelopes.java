package dev.mta.queue.h2.child;

import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

final class ChildEnvelopes {
    private ChildEnvelopes() {
    }

    static Envelope to(EnvelopeRecipient recipient) {
        return new Envelope("child@example.org", List.of(recipient), Envelope.BodyType.SEVEN_BIT, false,
                Optional.empty(), Optional.empty(), new Envelope.ClientInfo("127.0.0.1", "localhost", Optional.empty()),
                Instant.now());
    }
}
