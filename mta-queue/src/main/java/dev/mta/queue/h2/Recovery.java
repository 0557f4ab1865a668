package dev.mta.queue.h2;

import dev.mta.queue.QueueId;
import dev.mta.queue.spool.EnvelopeTrailer;
import dev.mta.queue.spool.SpoolDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up clean-up, run only by a process that has the queue to itself (see {@link SpoolLock})
 * and only after the database opened, so a database that cannot be read never costs a file.
 * <ul>
 *   <li>Files in {@code incoming/} were never committed, so no client was told 250: deleted.</li>
 *   <li>A body in {@code bodies/} without a message row: its {@link EnvelopeTrailer} puts the
 *       message back. H2 may reopen its file at a version older than its last synced commits
 *       after a crash (seen under SIGKILL during delivery), and that message may have been
 *       acknowledged with 250. A commit that crashed before its rows were in does the same: its
 *       client was not told 250 and may send it again, a duplicate rather than a loss. A body
 *       without a trailer (written before trailers) belonged to such a crash and is deleted.</li>
 *   <li>A message row whose body is missing: bodies are deleted only after the deletion of their
 *       rows is synced, so the message was finished and the database lost that deletion; its rows
 *       are deleted (it would otherwise be retried for ever, "cannot read the queued message").</li>
 *   <li>Leases are released: with no other process open, no worker that took one is alive, and
 *       its recipients should not wait for the lease to run out.</li>
 * </ul>
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private Recovery() {
    }

    static void run(SpoolDirectory spool, Connection connection, Instant now) throws IOException, SQLException {
        Set<QueueId> messages = MessageRows.allIds(connection);
        int leases;
        try (Statement statement = connection.createStatement()) {
            leases = statement.executeUpdate(
                    "UPDATE recipient SET lease_owner = NULL, lease_expires = NULL WHERE lease_owner IS NOT NULL");
        }
        int incoming = 0;
        for (Path file : spool.incomingFiles()) {
            Files.deleteIfExists(file);
            incoming++;
        }
        int orphans = 0;
        int restored = 0;
        for (Path file : spool.bodyFiles()) {
            QueueId id = idOf(file);
            if (id == null) {
                LOG.warn("leaving {} alone: not a queue id, not written by the queue", file);
            } else if (!messages.contains(id)) {
                EnvelopeTrailer.Contents contents;
                try {
                    contents = EnvelopeTrailer.read(file);
                } catch (IOException e) {
                    LOG.error("leaving {} alone: a body without a message whose envelope cannot be read: {}", file,
                            e.getMessage());
                    continue;
                }
                if (contents.envelope().isPresent()) {
                    MessageRows.insert(connection, id, contents.envelope().get(), contents.bodyLength(), now);
                    LOG.warn("restored id={} from its spool file: the queue database had lost it in a crash", id);
                    restored++;
                } else {
                    Files.deleteIfExists(file);
                    orphans++;
                }
            }
        }
        int finished = 0;
        for (QueueId id : messages) {
            if (!Files.exists(spool.bodyPath(id))) {
                MessageRows.delete(connection, id);
                LOG.warn("removed id={}: its body was deleted once it was finished, a deletion the queue database"
                        + " had lost in a crash", id);
                finished++;
            }
        }
        if (incoming > 0 || orphans > 0 || leases > 0 || restored > 0 || finished > 0) {
            LOG.info("queue recovery: deleted {} unfinished incoming file(s) and {} body file(s) without a message,"
                    + " restored {} message(s) from their spool files, removed {} finished message(s),"
                    + " released {} lease(s) of the previous run", incoming, orphans, restored, finished, leases);
        }
    }

    private static QueueId idOf(Path file) {
        try {
            return new QueueId(file.getFileName().toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
