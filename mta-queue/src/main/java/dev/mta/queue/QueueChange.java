package dev.mta.queue;

import java.util.List;
import java.util.Objects;

/**
 * What an operator action ({@link MessageStore#hold}, {@link MessageStore#delete}, ...) changed,
 * and what it left alone because a delivery is under way, so a command can tell the operator
 * both.
 *
 * @param messages   messages with at least one recipient changed (for delete: messages removed)
 * @param recipients recipients changed (for delete: recipients removed with their messages)
 * @param leased     selected recipients left alone because a delivery attempt holds a live lease
 *                   on them (for delete: the leased recipients of every message refused); try
 *                   again when the attempt has settled
 */
public record QueueChange(int messages, int recipients, List<RecipientRef> leased) {

    public QueueChange {
        if (messages < 0 || recipients < 0) {
            throw new IllegalArgumentException("counts cannot be negative");
        }
        leased = List.copyOf(Objects.requireNonNull(leased, "leased"));
    }

    /** The messages with a leased recipient, in the order first seen. */
    public List<QueueId> leasedMessages() {
        return leased.stream().map(RecipientRef::message).distinct().toList();
    }
}
