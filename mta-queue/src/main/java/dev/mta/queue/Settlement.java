package dev.mta.queue;

import java.time.Instant;

/** The outcome of one delivery attempt for one recipient, as the queue records it. */
public sealed interface Settlement {

    /** What the remote side (or the relay itself) said, for logs, queue listings and DSNs. */
    String reply();

    record Delivered(String reply) implements Settlement {
    }

    record Deferred(String reply, Instant nextAttempt) implements Settlement {
    }

    record Bounced(String reply) implements Settlement {
    }
}
