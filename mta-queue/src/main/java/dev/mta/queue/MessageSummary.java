package dev.mta.queue;

import java.time.Instant;
import java.util.List;

/** One line of a queue listing. */
public record MessageSummary(QueueId id, String sender, long size, Instant receivedAt, List<RecipientStatus> recipients) {
}
