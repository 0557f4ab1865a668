package dev.mta.queue.h2;

import dev.mta.queue.Envelope;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.QueueId;
import dev.mta.queue.StoreException;
import dev.mta.queue.spool.SpoolFile;
import java.io.IOException;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A message being received into {@code incoming/<id>}; {@link H2MessageStore} commits it.
 * A failed write to the body (disk full) does not throw from {@link #body()}: the listener must
 * read DATA to its end anyway, and {@link #commit} then throws the failure as a StoreException,
 * a resource shortage when the disk is full (see {@link SpoolFile}).
 */
final class H2IncomingMessage implements IncomingMessage {
    private static final Logger LOG = LoggerFactory.getLogger(H2IncomingMessage.class);

    private final QueueId id;
    private final SpoolFile spoolFile;
    private final Committer committer;
    private boolean commitStarted;
    private boolean committed;
    private boolean closed;

    H2IncomingMessage(QueueId id, SpoolFile spoolFile, Committer committer) {
        this.id = id;
        this.spoolFile = spoolFile;
        this.committer = committer;
    }

    @Override
    public QueueId id() {
        return id;
    }

    @Override
    public OutputStream body() {
        return spoolFile.body();
    }

    @Override
    public long size() {
        return spoolFile.size();
    }

    @Override
    public void commit(Envelope envelope) throws StoreException {
        if (closed || commitStarted) {
            throw new IllegalStateException("message " + id + (closed ? " was closed" : " was already committed or failed"));
        }
        commitStarted = true;
        committer.commit(id, spoolFile, envelope);
        committed = true;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!committed) {
            try {
                spoolFile.discard();
            } catch (IOException e) {
                // Start-up recovery deletes what is left in incoming/.
                LOG.warn("could not delete the spool file of uncommitted message {}: {}", id, e.toString());
            }
        }
    }

    /** Does the work of {@link #commit}: body durable, rows inserted, sync. */
    @FunctionalInterface
    interface Committer {
        void commit(QueueId id, SpoolFile spoolFile, Envelope envelope) throws StoreException;
    }
}
