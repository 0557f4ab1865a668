package dev.mta.delivery.attempt;

import dev.mta.queue.Diagnosis;

/** What a failed session means for the message: the classifier's answer. */
public sealed interface HopVerdict {

    Diagnosis diagnosis();

    /**
     * This host failed; the next address or MX host may do better. {@code permanent}: if this was
     * the last host, the failure is permanent (a 5yz greeting from every MX host bounces).
     */
    record TryNextHost(Diagnosis diagnosis, boolean permanent) implements HopVerdict {
    }

    /** Stop here and try the whole message later (the message may have reached the server). */
    record DeferAll(Diagnosis diagnosis) implements HopVerdict {
    }

    /** The server refused the message itself: every recipient bounces. */
    record BounceAll(Diagnosis diagnosis) implements HopVerdict {
    }
}
