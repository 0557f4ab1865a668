package dev.mta.queue;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A recipient's state as shown by queue listings.
 *
 * @param nextAttempt   when it is due; empty once settled
 * @param lastAttempt   when its last attempt was settled; empty before the first
 * @param diagnosis     the outcome of its last attempt; empty before the first
 * @param pendingNotice FAILURE or SUCCESS while the DSN for its settlement is still owed
 * @param delayWarned   whether its delay warning was sent (or passed over by the notifier)
 */
public record RecipientStatus(
        int index,
        String address,
        RecipientState state,
        int attempts,
        Optional<Instant> nextAttempt,
        Optional<Instant> lastAttempt,
        Optional<Diagnosis> diagnosis,
        Optional<NoticeKind> pendingNotice,
        boolean delayWarned) {

    public RecipientStatus {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(nextAttempt, "nextAttempt");
        Objects.requireNonNull(lastAttempt, "lastAttempt");
        Objects.requireNonNull(diagnosis, "diagnosis");
        Objects.requireNonNull(pendingNotice, "pendingNotice");
    }

    /** The text of the last reply, as listings print it. */
    public Optional<String> lastReply() {
        return diagnosis.map(Diagnosis::text);
    }
}
