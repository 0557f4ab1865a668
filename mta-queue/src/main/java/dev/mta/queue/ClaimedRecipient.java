package dev.mta.queue;

import java.time.Instant;

/**
 * A recipient leased for a delivery attempt, with what the worker needs to attempt it.
 *
 * @param attempts attempts made before this one
 */
public record ClaimedRecipient(
        RecipientRef ref,
        Envelope envelope,
        EnvelopeRecipient recipient,
        int attempts,
        Instant leaseExpires) {
}
