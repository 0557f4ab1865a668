package dev.mta.queue;

import java.time.Instant;
import java.util.Optional;

/** A recipient's state as shown by queue listings. */
public record RecipientStatus(
        int index,
        String address,
        RecipientState state,
        int attempts,
        Optional<Instant> nextAttempt,
        Optional<String> lastReply) {
}
