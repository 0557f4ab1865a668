package dev.mta.queue.h2;

import dev.mta.queue.Attempt;
import dev.mta.queue.Diagnosis;
import dev.mta.queue.ClaimedRecipient;
import dev.mta.queue.Envelope;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.KeyedRecords;
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
import dev.mta.queue.spool.DiskSpace;
import dev.mta.queue.spool.EnvelopeTrailer;
import dev.mta.queue.spool.Fsync;
import dev.mta.queue.spool.OwnerOnly;
import dev.mta.queue.spool.SpoolDirectory;
import dev.mta.queue.spool.SpoolFile;
import dev.mta.queue.spool.StorageFailures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded queue: an H2 database file for the rows and a spool directory for the bodies,
 * under {@code <data>/queue} (see {@link QueueFiles}).
 *
 * <p>A commit is durable when it returns: the body is synced and renamed into {@code bodies/}
 * (directory synced), the rows are inserted in one transaction, and a {@code CHECKPOINT SYNC}
 * that started after that transaction has forced the database file (see {@link CheckpointSync}
 * for what H2 does and does not sync by itself). Concurrent commits and settlements share syncs
 * ({@link GroupCommit}); {@link #syncCount()} tells how many passes ran. Notice reports and
 * flushes are synced the same way; a message whose rows are deleted (every recipient settled,
 * no notice owed: see {@link Settlements} and {@link Notices}) loses its body only after that
 * deletion is synced.
 *
 * <p>Several processes may open the same queue at once (the relay, {@code mta queue list}, a
 * {@code sendmail} command): H2 serves the file from the first of them over loopback.
 */
public final class H2MessageStore implements MessageStore {
    private static final Logger LOG = LoggerFactory.getLogger(H2MessageStore.class);
    /** A collision of random 60-bit ids is unlikely; retrying a few times makes it harmless. */
    private static final int ID_ATTEMPTS = 5;

    private final QueueFiles files;
    private final SpoolDirectory spool;
    private final SpoolLock spoolLock;
    private final QueueDatabase database;
    private final GroupCommit groupCommit;
    private final DiskSpace diskSpace;
    private final Clock clock;
    private volatile boolean closed;

    private H2MessageStore(QueueFiles files, SpoolDirectory spool, SpoolLock spoolLock, QueueDatabase database,
            DiskSpace diskSpace, Clock clock) {
        this.files = files;
        this.spool = spool;
        this.spoolLock = spoolLock;
        this.database = database;
        this.diskSpace = diskSpace;
        this.clock = clock;
        CheckpointSync sync = database.checkpointSync();
        this.groupCommit = new GroupCommit(() -> {
            try {
                sync.sync();
            } catch (SQLException e) {
                if (StorageFailures.isOutOfSpace(e)) {
                    diskSpace.releaseReserveAfter(e);
                }
                throw StorageFailures.storeFailure("CHECKPOINT SYNC of " + files.databaseFile() + " failed", e, diskSpace);
            }
        });
    }

    /**
     * Opens the queue in {@code <data>/queue}, creating it on first use. Refuses, with a
     * StoreException that names the file and the way out, to replace a missing or unreadable
     * database with an empty one. When no other process has the queue open, cleans up what a
     * crash left behind (see {@link Recovery}).
     */
    public static H2MessageStore open(H2StoreSettings settings) throws StoreException {
        QueueFiles files = QueueFiles.in(settings.dataDirectory());
        SpoolDirectory spool;
        SpoolLock spoolLock;
        DiskSpace diskSpace;
        try {
            if (!Files.isDirectory(files.dataDirectory())) {
                OwnerOnly.directory(files.dataDirectory());
            }
            OwnerOnly.directory(files.queueDirectory());
            spool = SpoolDirectory.open(files.queueDirectory());
            diskSpace = DiskSpace.of(files.queueDirectory(), settings.minFreeBytes(), settings.reserveBytes());
            spoolLock = SpoolLock.acquire(files.spoolLock());
        } catch (IOException e) {
            throw new StoreException("cannot prepare the queue directory " + files.queueDirectory() + ": " + e,
                    e, StorageFailures.isOutOfSpace(e));
        }
        QueueDatabase database = null;
        try {
            DatabasePresence presence = DatabasePresence.check(files, spool);
            if (presence == DatabasePresence.CREATE && !spoolLock.isAlone()) {
                throw new StoreException("another process has " + files.queueDirectory()
                        + " open but there is no queue database in it; stop it and start again", null);
            }
            Credentials credentials = presence == DatabasePresence.CREATE && !Files.exists(files.credentials())
                    ? Credentials.generate(files.credentials())
                    : Credentials.read(files.credentials());
            database = QueueDatabase.open(files, credentials, presence, settings.connections());
            if (presence == DatabasePresence.CREATE) {
                database.checkpointSync().sync();
                Fsync.directory(files.queueDirectory());
                LOG.info("created the queue database {}", files.databaseFile());
            }
            DatabasePresence.markCreated(files, settings.clock().instant());
            if (spoolLock.isAlone()) {
                try (Connection connection = database.connection()) {
                    Recovery.run(spool, connection, settings.clock().instant());
                }
                // What recovery put back or removed is durable before anything is delivered.
                database.checkpointSync().sync();
                spoolLock.recovered();
            }
            return new H2MessageStore(files, spool, spoolLock, database, diskSpace, settings.clock());
        } catch (StoreException | RuntimeException e) {
            closeAfterFailedOpen(database, spoolLock);
            throw e;
        } catch (IOException | SQLException e) {
            closeAfterFailedOpen(database, spoolLock);
            throw StorageFailures.storeFailure("cannot open the queue in " + files.queueDirectory(), e, diskSpace);
        }
    }

    @Override
    public IncomingMessage receive() throws StoreException {
        requireOpen();
        diskSpace.requireMinimumFree("accept a message");
        IOException last = null;
        for (int attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
            QueueId id = QueueId.random();
            if (spool.isTaken(id)) {
                continue;
            }
            try {
                return new H2IncomingMessage(id, spool.create(id), this::commit);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                last = e;
            } catch (IOException e) {
                throw StorageFailures.storeFailure("cannot create a spool file in " + spool.incomingDirectory(), e, diskSpace);
            }
        }
        throw new StoreException("no free queue id after " + ID_ATTEMPTS + " tries", last);
    }

    /**
     * Body first, rows second: a body without rows is an orphan that recovery deletes, while
     * rows without a body would be mail that can never be relayed.
     */
    private void commit(QueueId id, SpoolFile spoolFile, Envelope envelope) throws StoreException {
        Objects.requireNonNull(envelope, "envelope");
        requireOpen();
        try {
            spoolFile.forceToDisk(EnvelopeTrailer.of(envelope));
        } catch (IOException e) {
            throw StorageFailures.storeFailure("cannot write the body of " + id + " to " + spoolFile.path(), e, diskSpace);
        }
        diskSpace.requireMinimumFree("commit message " + id);
        try {
            spool.promote(id);
        } catch (IOException e) {
            throw StorageFailures.storeFailure("cannot move the body of " + id + " into " + spool.bodiesDirectory(), e,
                    diskSpace);
        }
        try (Connection connection = database.connection()) {
            Transactions.inTransaction(connection, c -> {
                MessageRows.insert(c, id, envelope, spoolFile.size(), clock.instant());
                return null;
            });
        } catch (SQLException e) {
            deleteBodyAfterFailedCommit(id);
            throw StorageFailures.storeFailure("cannot insert message " + id + " into " + files.databaseFile(), e,
                    diskSpace);
        }
        try {
            groupCommit.awaitDurable();
        } catch (StoreException e) {
            withdraw(id);
            throw e;
        }
        LOG.debug("queued {} ({} bytes, {} recipient(s))", id, spoolFile.size(), envelope.recipients().size());
    }

    @Override
    public List<MessageSummary> list() throws StoreException {
        return withConnection("list the queue", MessageRows::list);
    }

    @Override
    public Optional<MessageDetail> find(QueueId id) throws StoreException {
        return withConnection("find message " + id, c -> MessageRows.find(c, id));
    }

    /** The attempt history of a queued message, oldest first (empty once the message is gone). */
    public List<Attempt> attempts(QueueId id) throws StoreException {
        return withConnection("read the attempts of " + id, c -> AttemptRows.of(c, id));
    }

    @Override
    public InputStream openBody(QueueId id) throws StoreException {
        requireOpen();
        try {
            return spool.openBody(id);
        } catch (NoSuchFileException e) {
            throw new StoreException("message " + id + " has no body in " + spool.bodiesDirectory(), e);
        } catch (IOException e) {
            throw StorageFailures.storeFailure("cannot open the body of " + id, e, diskSpace);
        }
    }

    @Override
    public List<ClaimedRecipient> claimDue(Instant now, int limit, String owner, Duration leaseTime)
            throws StoreException {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(owner, "owner");
        if (limit < 1 || leaseTime.isNegative() || leaseTime.isZero()) {
            throw new IllegalArgumentException("claimDue needs a positive limit and lease time");
        }
        // Leases are not synced: after a crash a lost lease only makes the recipient due again.
        return withConnection("claim due recipients for " + owner, c -> Leases.claim(c, now, limit, owner, leaseTime));
    }

    @Override
    public boolean settle(RecipientRef recipient, String owner, Settlement settlement) throws StoreException {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(settlement, "settlement");
        Settlements.Outcome outcome = withConnection("settle " + recipient,
                c -> Settlements.settle(c, recipient, owner, settlement, clock.instant()));
        if (outcome == Settlements.Outcome.NOT_HELD) {
            return false;
        }
        groupCommit.awaitDurable();
        if (outcome == Settlements.Outcome.MESSAGE_DONE) {
            deleteBodyOfFinished(recipient.message());
        }
        return true;
    }

    @Override
    public List<PendingNotices> pendingNotices(Instant now, Duration delayWarningAfter, int limit)
            throws StoreException {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(delayWarningAfter, "delayWarningAfter");
        if (limit < 1 || delayWarningAfter.isNegative()) {
            throw new IllegalArgumentException("pendingNotices needs a positive limit and a delay that is not negative");
        }
        Instant delayCutoff = now.minus(delayWarningAfter);
        return withConnection("read the pending notices", c -> Notices.pending(c, delayCutoff, limit));
    }

    @Override
    public void noticesSent(QueueId message, List<Integer> indexes, NoticeKind kind) throws StoreException {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(kind, "kind");
        List<Integer> recipients = List.copyOf(indexes);
        if (recipients.isEmpty()) {
            return;
        }
        Notices.Outcome outcome = withConnection("record the " + kind + " notices of " + message,
                c -> Notices.sent(c, message, recipients, kind));
        // Synced even when nothing changed: an earlier report whose sync failed may be what
        // changed it, and the caller must not go on before it is durable.
        groupCommit.awaitDurable();
        if (outcome == Notices.Outcome.MESSAGE_DONE) {
            deleteBodyOfFinished(message);
        }
    }

    @Override
    public int flush(Optional<QueueId> message, Instant now) throws StoreException {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(now, "now");
        int due = withConnection("flush " + message.map(QueueId::value).orElse("the queue"),
                c -> Flush.makeDue(c, message, now));
        groupCommit.awaitDurable();
        return due;
    }

    @Override
    public List<MessageSummary> list(Selection selection, Instant now) throws StoreException {
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(now, "now");
        return withConnection("list the queue", c -> MessageRows.list(c, SelectionSql.of(selection, now)));
    }

    @Override
    public QueueSummary summary(Instant now, int topReasons) throws StoreException {
        Objects.requireNonNull(now, "now");
        if (topReasons < 0) {
            throw new IllegalArgumentException("the number of reasons cannot be negative: " + topReasons);
        }
        return withConnection("summarize the queue", c -> QueueShape.of(c, now, topReasons));
    }

    @Override
    public QueueChange hold(Selection selection, Instant now) throws StoreException {
        return operate("hold", selection, now, c -> OperatorActions.hold(c, selection, now));
    }

    @Override
    public QueueChange release(Selection selection, Instant now) throws StoreException {
        return operate("release", selection, now, c -> OperatorActions.release(c, selection, now));
    }

    @Override
    public QueueChange requeue(Selection selection, Instant now) throws StoreException {
        return operate("requeue", selection, now, c -> OperatorActions.requeue(c, selection, now));
    }

    @Override
    public QueueChange bounce(Selection selection, String reason, Instant now) throws StoreException {
        Objects.requireNonNull(reason, "reason");
        // RFC 3463 3.1 X.0.0: no more specific code says "the postmaster decided".
        Diagnosis diagnosis = Diagnosis.local("5.0.0",
                reason.isBlank() ? "bounced by the postmaster" : "bounced by the postmaster: " + reason.strip());
        return operate("bounce", selection, now, c -> OperatorActions.bounce(c, selection, diagnosis, now));
    }

    @Override
    public QueueChange delete(Selection selection, Instant now) throws StoreException {
        return operate("delete", selection, now, c -> OperatorActions.delete(c, selection, now));
    }

    /**
     * Runs an operator action, waits until it is durable, and only then deletes the bodies of
     * the messages it removed. Synced even when nothing changed, as for noticesSent.
     */
    private QueueChange operate(String action, Selection selection, Instant now,
            Transactions.Work<OperatorActions.Outcome> work) throws StoreException {
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(now, "now");
        OperatorActions.Outcome outcome = withConnection(action + " " + selection, work);
        groupCommit.awaitDurable();
        for (QueueId removed : outcome.removed()) {
            deleteBodyOfFinished(removed);
        }
        LOG.info("{} {}: {} recipient(s) of {} message(s) changed, {} left alone under a live lease", action,
                selection, outcome.change().recipients(),
                outcome.change().messages(), outcome.change().leased().size());
        return outcome.change();
    }

    @Override
    public Optional<Instant> oldestDeferred() throws StoreException {
        return withConnection("find the oldest deferred message", OldestDeferred::of);
    }

    @Override
    public boolean isOpen() {
        return !closed && database.isAvailable();
    }

    @Override
    public KeyedRecords records() {
        return new H2KeyedRecords(this);
    }

    <T> T withRecords(String what, Transactions.Work<T> work) throws StoreException {
        return withConnection(what, work);
    }

    void awaitDurable() throws StoreException {
        groupCommit.awaitDurable();
    }

    /** Only once the deletion of the rows is durable may the body go. */
    private void deleteBodyOfFinished(QueueId message) {
        // The message has left the queue for good (Postfix's "removed" line): durably settled.
        LOG.info("removed id={}", message);
        try {
            spool.deleteBody(message);
        } catch (IOException e) {
            LOG.warn("could not delete the body of finished message {} (recovery will): {}", message, e.toString());
        }
    }

    /** Sync passes run so far; with group commit this grows slower than {@link #syncRequests()}. */
    public long syncCount() {
        return groupCommit.passes();
    }

    /** Commits and settlements that waited for a sync so far. */
    public long syncRequests() {
        return groupCommit.requests();
    }

    /** The queue directory, {@code <data>/queue}. */
    public Path queueDirectory() {
        return files.queueDirectory();
    }

    /**
     * Closes the connections and releases the spool lock. Stop the listeners and workers first:
     * a commit still running fails (and its client is told to retry).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            database.close();
        } finally {
            spoolLock.close();
        }
    }

    /**
     * Runs the work on a pooled connection. When it fails for want of space and releasing the
     * {@link dev.mta.queue.spool.SpaceReserve} made room, it runs once more: the failed write was
     * not committed (H2 closes the database when a write fails, and the retry opens it again).
     */
    private <T> T withConnection(String what, Transactions.Work<T> work) throws StoreException {
        requireOpen();
        diskSpace.keepReserve();
        try {
            return run(work);
        } catch (SQLException e) {
            if (StorageFailures.isOutOfSpace(e)) {
                database.renewConnections();
                if (diskSpace.releaseReserveAfter(e)) {
                    try {
                        return run(work);
                    } catch (SQLException again) {
                        e = again;
                    }
                }
            }
            throw StorageFailures.storeFailure("cannot " + what + " in " + files.databaseFile(), e, diskSpace);
        }
    }

    private <T> T run(Transactions.Work<T> work) throws SQLException {
        try (Connection connection = database.connection()) {
            return work.run(connection);
        }
    }

    private void requireOpen() throws StoreException {
        if (closed) {
            throw new StoreException("the queue store " + files.queueDirectory() + " is closed", null);
        }
    }

    /**
     * The sync failed after the rows were committed: the client will be told 4xx and send again,
     * so take the message back out rather than relay it twice. If that fails too the message
     * stays queued: a duplicate is better than a loss.
     */
    private void withdraw(QueueId id) {
        try (Connection connection = database.connection()) {
            MessageRows.delete(connection, id);
            deleteBodyAfterFailedCommit(id);
        } catch (SQLException e) {
            LOG.error("message {} could not be synced nor withdrawn; it may be relayed although the client was"
                    + " told to retry", id, e);
        }
    }

    private void deleteBodyAfterFailedCommit(QueueId id) {
        try {
            spool.deleteBody(id);
        } catch (IOException e) {
            LOG.warn("could not delete the body of failed commit {} (recovery will): {}", id, e.toString());
        }
    }

    private static void closeAfterFailedOpen(QueueDatabase database, SpoolLock spoolLock) {
        try {
            if (database != null) {
                database.close();
            }
        } finally {
            spoolLock.close();
        }
    }
}
