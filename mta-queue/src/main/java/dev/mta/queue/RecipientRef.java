package dev.mta.queue;

/** One recipient of one message: the message id and the recipient's position in the envelope. */
public record RecipientRef(QueueId message, int index) {
}
