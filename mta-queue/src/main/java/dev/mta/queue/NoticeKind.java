package dev.mta.queue;

/** The delivery status notifications (RFC 3464) the queue keeps track of per recipient. */
public enum NoticeKind {
    /** The recipient bounced: a failure DSN (Action: failed) is owed. */
    FAILURE,
    /** The recipient has waited long: a delay warning (Action: delayed) is owed once. */
    DELAY,
    /** The recipient was delivered or relayed and NOTIFY asked for it: a success DSN is owed. */
    SUCCESS
}
