package dev.mta.queue.h2;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.api.ErrorCode;

/**
 * Forces every H2 transaction committed before the call to disk, with {@code CHECKPOINT SYNC}
 * on a connection of its own.
 *
 * <p>What H2 2.5.252 (MVStore) guarantees, read from its byte code (no sources jar is published
 * for 2.5.252; its classes match the FileStore, MVStore and TransactionStore of H2's sources):
 * <ul>
 *   <li>A JDBC commit ({@code SessionLocal.commit -> TransactionStore.commit -> endTransaction})
 *       changes the in-memory maps. With {@code WRITE_DELAY} above 0 (default 500 ms; it is
 *       MVStore's {@code autoCommitDelay}) it writes nothing: the "MVStore background writer"
 *       thread wakes every delay/10 ms and, once the delay has passed since the last store,
 *       calls {@code MVStore.tryCommit()}, which hands the changed pages to a serialization
 *       executor and a buffer-save executor that {@code FileChannel.write} a new chunk later.
 *       A commit is written sooner only when unsaved memory passes 3/4 of autoCommitMemory.</li>
 *   <li>With {@code WRITE_DELAY 0} there is no background thread and there are no executors:
 *       {@code endTransaction} calls {@code MVStore.commit()}, which writes the chunk in the
 *       committing thread under MVStore's storeLock. Written to the OS; not synced.</li>
 *   <li>{@code FileChannel.force(true)} is called only by {@code SingleFileStore.sync()}, reached
 *       from {@code MVStore.sync() <- db.Store.sync() <- Database.sync() <- CHECKPOINT SYNC}
 *       (admin right needed), and when the store closes or compacts. Whatever the
 *       {@code WRITE_DELAY}, the commit path never syncs: a power loss loses every commit since
 *       the last CHECKPOINT SYNC or clean close.</li>
 *   <li>{@code CHECKPOINT SYNC} runs {@code Database.sync()} (synchronized on the database):
 *       {@code MVStore.commit()} to store any unsaved change, then {@code FileChannel.force(true)}.
 *       Plain {@code CHECKPOINT} stores but does not force.</li>
 *   <li>{@code MVStore.commit()} skips its own store when another thread stored while it waited
 *       for the storeLock. With {@code WRITE_DELAY} above 0 that other store may be the
 *       background writer's, still queued in its executors, so the force can run before the
 *       chunk is written: CHECKPOINT SYNC is then not a reliable barrier. With
 *       {@code WRITE_DELAY 0} every store completes under the lock, so when CHECKPOINT SYNC holds
 *       the lock every transaction committed before it has been written, and the force that
 *       follows makes them durable.</li>
 * </ul>
 * Hence the store sets {@code WRITE_DELAY 0} at every open (H2 also persists it) and follows
 * commits with this sync, shared by concurrent committers through {@link GroupCommit}.
 * DURABILITY.md in this module has the measurements and the tests that prove it.
 */
final class CheckpointSync {
    private final ConnectionFactory connections;
    private volatile Connection connection;
    private volatile boolean closed;

    CheckpointSync(ConnectionFactory connections, Connection connection) {
        this.connections = connections;
        this.connection = connection;
    }

    synchronized void sync() throws SQLException {
        if (closed) {
            throw new SQLException("the queue store was closed before the sync");
        }
        if (connection.isClosed()) {
            // H2 closed it (the serving process went away and reconnecting failed once): try anew.
            connection = connections.open();
        }
        try {
            checkpoint();
        } catch (SQLException e) {
            if (!isDatabaseClosed(e)) {
                throw e;
            }
            // H2 closes the whole database when a write fails (a full disk), and this connection
            // with it, though isClosed() may not say so yet. Every transaction committed before that
            // was written to the file; a new connection opens it again and syncs it.
            closeQuietly();
            connection = connections.open();
            checkpoint();
        }
    }

    private void checkpoint() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT SYNC");
        }
    }

    private static boolean isDatabaseClosed(SQLException e) {
        return e.getErrorCode() == ErrorCode.DATABASE_IS_CLOSED
                || e.getErrorCode() == ErrorCode.DATABASE_CALLED_AT_SHUTDOWN;
    }

    /**
     * Whether the database is open to this connection, for readiness: a field read while it is
     * (no query, no lock, so a sync in progress holds nobody up). When H2 has closed it (the
     * database was shut down, or the process serving it went away), tries once to open a new one,
     * as the next sync would; false if that fails, and after {@link #close()}.
     */
    boolean connected() {
        if (closed) {
            return false;
        }
        try {
            if (!connection.isClosed()) {
                return true;
            }
        } catch (SQLException e) {
            // Cannot tell: reconnect below, which settles it.
        }
        synchronized (this) {
            if (closed) {
                return false;
            }
            try {
                if (connection.isClosed()) {
                    connection = connections.open();
                }
                return true;
            } catch (SQLException e) {
                return false;
            }
        }
    }

    synchronized void close() {
        closed = true;
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            connection.close();
        } catch (SQLException e) {
            // Closing a broken connection: nothing is left to release.
        }
    }

    /** Opens a new connection to the queue database. */
    @FunctionalInterface
    interface ConnectionFactory {
        Connection open() throws SQLException;
    }
}
