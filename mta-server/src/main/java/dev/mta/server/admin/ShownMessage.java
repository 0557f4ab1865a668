package dev.mta.server.admin;

import dev.mta.queue.MessageDetail;
import dev.mta.queue.MessageStore;
import dev.mta.queue.QueueId;
import dev.mta.queue.StoreException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One queued message as {@code mta queue show} prints it: what the queue knows, and its header
 * section or, asked for, the whole message, as lines.
 *
 * @param detail the envelope and the state of each recipient
 * @param whole  whether {@code lines} are the whole message rather than the header section
 * @param lines  the message's lines without their line ends
 */
public record ShownMessage(MessageDetail detail, boolean whole, List<String> lines) {

    public ShownMessage {
        Objects.requireNonNull(detail, "detail");
        lines = List.copyOf(lines);
    }

    /** Reads a message from the store; empty when it is not queued. */
    public static Optional<ShownMessage> read(MessageStore store, QueueId id, boolean whole) throws StoreException, IOException {
        Optional<MessageDetail> detail = store.find(id);
        if (detail.isEmpty()) {
            return Optional.empty();
        }
        List<String> lines = new ArrayList<>();
        // The message's owner's business: only root, the relay's user and admin API clients
        // holding the token can read it.
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(store.openBody(id), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null && (whole || !line.isEmpty())) {
                lines.add(line);
            }
        }
        return Optional.of(new ShownMessage(detail.get(), whole, lines));
    }
}
