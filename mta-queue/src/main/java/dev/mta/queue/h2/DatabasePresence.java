package dev.mta.queue.h2;

import dev.mta.queue.StoreException;
import dev.mta.queue.spool.OwnerOnly;
import dev.mta.queue.spool.SpoolDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;

/**
 * Decides, before H2 is touched, whether the queue database is to be created or opened. The
 * one thing it must never do is let H2 quietly create an empty database where one existed: the
 * relay would start, answer 250 for new mail, and the queued mail of the lost database would be
 * forgotten without a word. So a database is created only when there is no sign one ever
 * existed: no {@code database.created} marker and no message bodies.
 */
enum DatabasePresence {
    /** Nothing was ever queued here: create the database. */
    CREATE,
    /** The database file exists: open it, never creating one. */
    OPEN;

    static DatabasePresence check(QueueFiles files, SpoolDirectory spool) throws StoreException {
        try {
            if (Files.exists(files.databaseFile())) {
                if (!Files.exists(files.credentials())) {
                    throw new StoreException("the queue database " + files.databaseFile() + " exists but its credentials file "
                            + files.credentials() + " is missing; restore that file from the backup of "
                            + files.queueDirectory() + " (the database cannot be opened without it)", null);
                }
                return OPEN;
            }
            if (Files.exists(files.createdMarker())) {
                throw missing(files, "the marker " + files.createdMarker() + " says it was created");
            }
            if (spool.hasBodies()) {
                throw missing(files, "message bodies are waiting in " + spool.bodiesDirectory());
            }
            return CREATE;
        } catch (IOException e) {
            throw new StoreException("cannot inspect the queue directory " + files.queueDirectory(), e);
        }
    }

    /** Writes the marker once the database exists; from then on its absence is an error. */
    static void markCreated(QueueFiles files, Instant now) throws IOException {
        if (!Files.exists(files.createdMarker())) {
            OwnerOnly.writeAtomically(files.createdMarker(), ("The queue database " + files.databaseFile().getFileName()
                    + " exists since " + now + "; the relay refuses to start without it.\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static StoreException missing(QueueFiles files, String evidence) {
        return new StoreException("the queue database " + files.databaseFile() + " is missing although " + evidence
                + ". Refusing to start with an empty queue, which would lose the queued mail. Restore "
                + files.databaseFile() + " from backup; or, to discard the old queue on purpose, stop every "
                + "mta process and move " + files.queueDirectory() + " aside, then start again.", null);
    }
}
