package dev.mta.queue.h2;

import java.nio.file.Path;

/**
 * Where the queue keeps its files under {@code <data>/queue}:
 * <pre>
 *   queue.mv.db          the H2 database (message, recipient and attempt rows)
 *   queue.lock.db        H2's lock file; names the AUTO_SERVER port and its key
 *   database.created     written once the database exists: from then on it must exist
 *   database.credentials user and password of the database (0600)
 *   spool.lock           decides which process may clean up at start-up
 *   incoming/  bodies/   message bodies (see SpoolDirectory)
 * </pre>
 */
record QueueFiles(Path dataDirectory, Path queueDirectory) {
    static QueueFiles in(Path dataDirectory) {
        return new QueueFiles(dataDirectory, dataDirectory.resolve("queue"));
    }

    /** The name H2 is given; it appends {@code .mv.db} itself. */
    Path databaseBase() {
        return queueDirectory.resolve("queue");
    }

    Path databaseFile() {
        return queueDirectory.resolve("queue.mv.db");
    }

    Path createdMarker() {
        return queueDirectory.resolve("database.created");
    }

    Path credentials() {
        return queueDirectory.resolve("database.credentials");
    }

    Path spoolLock() {
        return queueDirectory.resolve("spool.lock");
    }
}
