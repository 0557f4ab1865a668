package dev.mta.queue;

import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of one delivery attempt for one recipient, as the queue records it. The status
 * class of the diagnosis must fit the outcome (RFC 3463 3.1): 2 for delivered, 4 for deferred,
 * 4 or 5 for bounced (a recipient that expired after temporary failures bounces with the 4.x.x
 * of its last attempt, as Postfix reports it).
 */
public sealed interface Settlement {

    /** What the remote side (or the relay itself) said, for logs, queue listings and DSNs. */
    Diagnosis diagnosis();

    /** The diagnosis text: the reply line as it appears in logs and queue listings. */
    default String reply() {
        return diagnosis().text();
    }

    /**
     * Accepted by the next hop.
     *
     * @param successNotice the sender is owed a "delivered" or "relayed" DSN (RFC 3461 5.2.2:
     *                      NOTIFY=SUCCESS); the store keeps a SUCCESS notice pending, and the
     *                      message with it, until {@link MessageStore#noticesSent}
     */
    record Delivered(Diagnosis diagnosis, boolean successNotice) implements Settlement {
        public Delivered {
            requireClass(diagnosis, "delivered", 2);
        }
    }

    /** Failed temporarily; tried again at {@code nextAttempt}. */
    record Deferred(Diagnosis diagnosis, Instant nextAttempt) implements Settlement {
        public Deferred {
            requireClass(diagnosis, "deferred", 4);
            Objects.requireNonNull(nextAttempt, "a deferral needs its next attempt time");
        }
    }

    /**
     * Failed permanently, or expired.
     *
     * @param failureNotice the sender is owed a failure DSN; the caller has applied NOTIFY
     *                      (RFC 3461 4.1) and the null-sender rule (RFC 5321 4.5.5). The store
     *                      keeps a FAILURE notice pending, and the message with it, until
     *                      {@link MessageStore#noticesSent}
     */
    record Bounced(Diagnosis diagnosis, boolean failureNotice) implements Settlement {
        public Bounced {
            requireClass(diagnosis, "bounced", 4, 5);
        }
    }

    private static void requireClass(Diagnosis diagnosis, String outcome, int... classes) {
        Objects.requireNonNull(diagnosis, "diagnosis");
        for (int allowed : classes) {
            if (diagnosis.statusClass() == allowed) {
                return;
            }
        }
        throw new IllegalArgumentException("a " + outcome + " recipient cannot have status " + diagnosis.status());
    }
}
