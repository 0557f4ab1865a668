package dev.mta.queue;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One recipient that owes its sender a notice.
 *
 * @param ref         the recipient, for {@link MessageStore#noticesSent}
 * @param recipient   its address and RFC 3461 parameters (NOTIFY, ORCPT)
 * @param state       BOUNCED or DELIVERED for a FAILURE or SUCCESS notice; DEFERRED (or QUEUED
 *                    after earlier attempts) for a DELAY notice
 * @param kind        which notice
 * @param diagnosis   the outcome of its last attempt
 * @param lastAttempt when that attempt was settled (RFC 3464 2.3.7 Last-Attempt-Date)
 * @param nextAttempt when it will be tried again; empty once settled
 */
public record PendingNotice(
        RecipientRef ref,
        EnvelopeRecipient recipient,
        RecipientState state,
        NoticeKind kind,
        Diagnosis diagnosis,
        Instant lastAttempt,
        Optional<Instant> nextAttempt) {

    public PendingNotice {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(diagnosis, "diagnosis");
        Objects.requireNonNull(lastAttempt, "lastAttempt");
        Objects.requireNonNull(nextAttempt, "nextAttempt");
    }
}
