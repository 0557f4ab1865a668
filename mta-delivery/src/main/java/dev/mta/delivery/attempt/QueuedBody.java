package dev.mta.delivery.attempt;

import dev.mta.delivery.dsn.OriginalMessage;
import dev.mta.delivery.smtpclient.BodySource;
import dev.mta.queue.MessageStore;
import dev.mta.queue.QueueId;
import dev.mta.queue.StoreException;
import java.io.IOException;
import java.io.InputStream;

/** A queued message's body, opened afresh from the store for each read (a hop, or a DSN quoting it). */
public record QueuedBody(MessageStore store, QueueId id) implements BodySource, OriginalMessage {
    @Override
    public InputStream open() throws IOException {
        try {
            return store.openBody(id);
        } catch (StoreException e) {
            throw new IOException("cannot open the body of " + id + ": " + e.getMessage(), e);
        }
    }
}
