package dev.mta.server.delivery;

import dev.mta.queue.ClaimedRecipient;
import dev.mta.queue.Envelope;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.MessageDetail;
import dev.mta.queue.MessageStore;
import dev.mta.queue.MessageSummary;
import dev.mta.queue.NoticeKind;
import dev.mta.queue.PendingNotices;
import dev.mta.queue.QueueChange;
import dev.mta.queue.QueueId;
import dev.mta.queue.QueueSummary;
import dev.mta.queue.RecipientRef;
import dev.mta.queue.Selection;
import dev.mta.queue.Settlement;
import dev.mta.queue.StoreException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The store as the SMTP listeners and the admin API see it: every committed message, and every
 * operator action that makes mail due (flush, release, requeue), wakes the delivery manager, so
 * the mail leaves at once instead of at the next queue scan.
 */
public final class WakingStore implements MessageStore {
    private final MessageStore store;
    private final Runnable wake;

    public WakingStore(MessageStore store, Runnable wake) {
        this.store = store;
        this.wake = wake;
    }

    @Override
    public IncomingMessage receive() throws StoreException {
        IncomingMessage incoming = store.receive();
        return new IncomingMessage() {
            @Override
            public QueueId id() {
                return incoming.id();
            }

            @Override
            public OutputStream body() {
                return incoming.body();
            }

            @Override
            public long size() {
                return incoming.size();
            }

            @Override
            public void commit(Envelope envelope) throws StoreException {
                incoming.commit(envelope);
                wake.run();
            }

            @Override
            public void close() {
                incoming.close();
            }
        };
    }

    @Override
    public List<MessageSummary> list() throws StoreException {
        return store.list();
    }

    @Override
    public Optional<MessageDetail> find(QueueId id) throws StoreException {
        return store.find(id);
    }

    @Override
    public InputStream openBody(QueueId id) throws StoreException {
        return store.openBody(id);
    }

    @Override
    public List<ClaimedRecipient> claimDue(Instant now, int limit, String owner, Duration leaseTime) throws StoreException {
        return store.claimDue(now, limit, owner, leaseTime);
    }

    @Override
    public boolean settle(RecipientRef recipient, String owner, Settlement settlement) throws StoreException {
        return store.settle(recipient, owner, settlement);
    }

    @Override
    public List<PendingNotices> pendingNotices(Instant now, Duration delayWarningAfter, int limit) throws StoreException {
        return store.pendingNotices(now, delayWarningAfter, limit);
    }

    @Override
    public void noticesSent(QueueId message, List<Integer> indexes, NoticeKind kind) throws StoreException {
        store.noticesSent(message, indexes, kind);
    }

    @Override
    public int flush(Optional<QueueId> message, Instant now) throws StoreException {
        int due = store.flush(message, now);
        wake.run(); // flushed mail is due now
        return due;
    }

    @Override
    public List<MessageSummary> list(Selection selection, Instant now) throws StoreException {
        return store.list(selection, now);
    }

    @Override
    public QueueSummary summary(Instant now, int topReasons) throws StoreException {
        return store.summary(now, topReasons);
    }

    @Override
    public QueueChange hold(Selection selection, Instant now) throws StoreException {
        return store.hold(selection, now);
    }

    @Override
    public QueueChange release(Selection selection, Instant now) throws StoreException {
        QueueChange change = store.release(selection, now);
        wake.run(); // released mail is due now
        return change;
    }

    @Override
    public QueueChange requeue(Selection selection, Instant now) throws StoreException {
        QueueChange change = store.requeue(selection, now);
        wake.run();
        return change;
    }

    @Override
    public QueueChange bounce(Selection selection, String reason, Instant now) throws StoreException {
        return store.bounce(selection, reason, now);
    }

    @Override
    public QueueChange delete(Selection selection, Instant now) throws StoreException {
        return store.delete(selection, now);
    }

    @Override
    public boolean isOpen() {
        return store.isOpen();
    }

    @Override
    public Optional<Instant> oldestDeferred() throws StoreException {
        return store.oldestDeferred();
    }

    @Override
    public dev.mta.queue.KeyedRecords records() {
        return store.records();
    }

    @Override
    public void close() {
        store.close();
    }
}
