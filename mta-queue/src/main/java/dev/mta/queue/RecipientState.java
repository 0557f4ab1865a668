package dev.mta.queue;

/** Where one recipient of a queued message stands. */
public enum RecipientState {
    /** Accepted, never tried. */
    QUEUED,
    /** Tried, failed temporarily, waiting for its next attempt. */
    DEFERRED,
    /** Held by the operator: not tried until released. */
    HELD,
    /** Accepted by the next hop: settled. */
    DELIVERED,
    /** Failed permanently or expired: settled; a failure DSN may be pending (see NoticeKind). */
    BOUNCED;

    public boolean isSettled() {
        return this == DELIVERED || this == BOUNCED;
    }
}
