package dev.mta.queue;

import java.util.List;

/** Everything the queue knows about one message, for {@code mta queue show}. */
public record MessageDetail(QueueId id, Envelope envelope, long size, List<RecipientStatus> recipients) {
}
