package dev.mta.queue;

import java.util.List;
import java.util.Objects;

/**
 * A message with recipients that owe its sender a notice: what a DSN generator needs to write
 * one (RFC 3464), with the body still in the queue to quote ({@link MessageStore#openBody}).
 *
 * @param message    the queue id of the original message
 * @param envelope   its envelope: sender, RET, ENVID, origin
 * @param bodySize   the size of its body in bytes
 * @param recipients the recipients owing a notice, in envelope order
 */
public record PendingNotices(QueueId message, Envelope envelope, long bodySize, List<PendingNotice> recipients) {
    public PendingNotices {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(envelope, "envelope");
        recipients = List.copyOf(recipients);
    }
}
