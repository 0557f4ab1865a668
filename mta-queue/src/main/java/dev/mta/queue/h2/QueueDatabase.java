package dev.mta.queue.h2;

import dev.mta.queue.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The H2 database of the queue: its URL, its connections and its sync.
 *
 * <p>{@code AUTO_SERVER=TRUE}: the first process to open the file owns it (H2 locks the file
 * for one process) and serves it on a loopback TCP port for the others, so {@code mta queue
 * list} can read the queue while the relay runs. The lock file {@code queue.lock.db} names the
 * port and a random key that clients must present; it lies in the 0700 queue directory, and
 * the database password in a 0600 file beside it. When the serving process exits, the other
 * processes reconnect and one of them takes the file over (H2's auto-reconnect).
 *
 * <p>{@code IFEXISTS=TRUE} on every connection but the first one of a database that is to be
 * created: H2 then refuses to create a new, empty database in place of a missing one, also when
 * a connection is reopened while the store runs.
 */
final class QueueDatabase implements AutoCloseable {
    private final String url;
    private final Credentials credentials;
    private final int connections;
    private final CheckpointSync sync;
    private final Path databaseFile;
    private volatile JdbcConnectionPool pool;

    private QueueDatabase(String url, Credentials credentials, int connections, CheckpointSync sync,
            Path databaseFile) {
        this.url = url;
        this.credentials = credentials;
        this.connections = connections;
        this.sync = sync;
        this.databaseFile = databaseFile;
        this.pool = newPool();
    }

    static QueueDatabase open(QueueFiles files, Credentials credentials, DatabasePresence presence, int connections)
            throws StoreException {
        LoopbackOnly.restrictH2Server();
        if (files.databaseBase().toString().contains(";")) {
            throw new StoreException("the queue directory " + files.queueDirectory()
                    + " contains ';', which H2 would read as the start of a setting; choose another data directory", null);
        }
        // "retry:" reopens the database file when a thread is interrupted in the middle of file I/O
        // (a delivery cut short at shutdown): a plain FileChannel closes itself on interrupt,
        // after which H2 could write nothing more, for any thread.
        String creatingUrl = "jdbc:h2:retry:" + files.databaseBase() + ";AUTO_SERVER=TRUE";
        // Every connection after the first finds the database in place: should it vanish while the
        // store runs, a reconnect must fail rather than quietly create an empty one (DatabasePresence).
        String url = creatingUrl + ";IFEXISTS=TRUE";
        CheckpointSync.ConnectionFactory factory = () -> connect(url, credentials);
        Connection syncConnection;
        try {
            syncConnection = connect(presence == DatabasePresence.OPEN ? url : creatingUrl, credentials);
        } catch (SQLException e) {
            throw openFailure(files, e);
        }
        try {
            try (Statement statement = syncConnection.createStatement()) {
                // See CheckpointSync: with a write delay, CHECKPOINT SYNC is no reliable barrier.
                statement.execute("SET WRITE_DELAY 0");
            }
            requireNoWriteDelay(syncConnection);
            if (presence == DatabasePresence.OPEN) {
                Schema.requireIntact(syncConnection);
            }
            if (Schema.ensure(syncConnection)) {
                // A created or migrated layout is synced before anything is written against it.
                try (Statement statement = syncConnection.createStatement()) {
                    statement.execute("CHECKPOINT SYNC");
                }
            }
            return new QueueDatabase(url, credentials, connections, new CheckpointSync(factory, syncConnection),
                    files.databaseFile());
        } catch (SQLException e) {
            closeQuietly(syncConnection);
            throw openFailure(files, e);
        }
    }

    /**
     * A connection from the pool. After the database was closed under the store (SHUTDOWN, or the
     * serving process gone) every idle pooled connection is dead; the pool drops each one that
     * fails to hand out, so asking once more per pooled connection reaches a new one, which opens
     * the database again (if its file is still there: IFEXISTS).
     */
    Connection connection() throws SQLException {
        SQLException closedDatabase = null;
        JdbcConnectionPool pool = this.pool;
        for (int attempt = 0; attempt <= pool.getMaxConnections(); attempt++) {
            try {
                return pool.getConnection();
            } catch (SQLException e) {
                if (e.getErrorCode() != ErrorCode.DATABASE_CALLED_AT_SHUTDOWN
                        && e.getErrorCode() != ErrorCode.DATABASE_IS_CLOSED) {
                    throw e;
                }
                closedDatabase = e;
            }
        }
        throw closedDatabase;
    }

    /**
     * After a write failed (a full disk), H2 has closed the database under every pooled
     * connection, and handing one of those out again trips over the closed store. A new pool
     * opens the database anew; connections of the old one still in use are closed when returned.
     */
    synchronized void renewConnections() {
        JdbcConnectionPool old = pool;
        pool = newPool();
        try {
            old.dispose();
        } catch (RuntimeException | AssertionError e) {
            // The old connections belong to a database H2 has already closed; nothing to save.
        }
    }

    private JdbcConnectionPool newPool() {
        JdbcConnectionPool created = JdbcConnectionPool.create(url, credentials.user(), credentials.password());
        created.setMaxConnections(connections);
        return created;
    }

    CheckpointSync checkpointSync() {
        return sync;
    }

    /**
     * Whether the database is there to serve: its file still in place (one stat; a file deleted
     * or moved under a running store would take every later commit with it at the next start),
     * and the store's own connection open (see {@link CheckpointSync#connected()}).
     */
    boolean isAvailable() {
        return Files.exists(databaseFile) && sync.connected();
    }

    @Override
    public void close() {
        pool.dispose();
        sync.close();
    }

    private static Connection connect(String url, Credentials credentials) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", credentials.user());
        properties.setProperty("password", credentials.password());
        return new org.h2.Driver().connect(url, properties);
    }

    private static void requireNoWriteDelay(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            if (!rows.next() || !"0".equals(rows.getString(1))) {
                throw new SQLException("H2 did not take WRITE_DELAY 0; commits would not be durable");
            }
        }
    }

    private static StoreException openFailure(QueueFiles files, SQLException e) {
        String file = files.databaseFile().toString();
        String advice = switch (e.getErrorCode()) {
            case ErrorCode.WRONG_USER_OR_PASSWORD -> "the credentials in " + files.credentials()
                    + " do not open it; restore that file from the same backup as the database";
            case ErrorCode.DATABASE_NOT_FOUND_WITH_IF_EXISTS_1, ErrorCode.DATABASE_NOT_FOUND_1 ->
                    "it disappeared while opening; restore it from backup";
            case ErrorCode.DATABASE_ALREADY_OPEN_1 -> "another process holds it and cannot be reached;"
                    + " stop that process (see " + files.queueDirectory().resolve("queue.lock.db") + ")";
            default -> "Nothing was changed or deleted. If the file is damaged, restore it from backup; or stop"
                    + " every mta process and run 'mta queue salvage', which sets the damaged file aside, rebuilds the"
                    + " queue from what can still be read, and keeps every body (README, Troubleshooting)";
        };
        return new StoreException("cannot open the queue database " + file + ": " + e.getMessage() + ". " + advice, e);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // Already failing; the first error is the one to report.
        }
    }
}
