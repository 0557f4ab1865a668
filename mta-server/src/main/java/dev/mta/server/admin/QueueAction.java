package dev.mta.server.admin;

import dev.mta.queue.MessageStore;
import dev.mta.queue.QueueChange;
import dev.mta.queue.Selection;
import dev.mta.queue.StoreException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The operator's actions on queued mail (Postfix's postsuper), as {@code mta queue} and the admin
 * API ({@code POST /api/queue/<verb>}) both name them.
 */
public enum QueueAction {
    /** Keep mail from delivery until released. */
    HOLD,
    /** Let held mail go; it is due at once. */
    RELEASE,
    /** Make mail due now (held mail too), keeping its attempts and queue lifetime. */
    REQUEUE,
    /** Return mail to its senders with a DSN (RFC 3464) giving the reason. */
    BOUNCE,
    /** Remove mail for good, without a DSN. */
    DELETE;

    /** hold, release, ...: the command's name and the API path's last segment. */
    public String verb() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether it may take the whole queue when no ids or filters are given. Bouncing or deleting
     * everything is too easy a mistake for one command line or one request.
     */
    public boolean mayTakeEverything() {
        return this != BOUNCE && this != DELETE;
    }

    /** Whether it needs a reason (for the DSN). */
    public boolean needsReason() {
        return this == BOUNCE;
    }

    /**
     * Applies the action to the store.
     *
     * @param reason for {@link #BOUNCE}, the text of the DSN; ignored by the others
     */
    public QueueChange apply(MessageStore store, Selection selection, Optional<String> reason, Instant now)
            throws StoreException {
        return switch (this) {
            case HOLD -> store.hold(selection, now);
            case RELEASE -> store.release(selection, now);
            case REQUEUE -> store.requeue(selection, now);
            case BOUNCE -> store.bounce(selection, reason.orElseThrow(() -> new IllegalArgumentException("a bounce needs a reason")), now);
            case DELETE -> store.delete(selection, now);
        };
    }
}
