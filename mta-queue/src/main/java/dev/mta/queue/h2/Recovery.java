package dev.mta.queue.h2;

import dev.mta.queue.QueueId;
import dev.mta.queue.spool.SpoolDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up clean-up, run only by a process that has the queue to itself (see {@link SpoolLock})
 * and only after the database opened, so a database that cannot be read never costs a file.
 * <ul>
 *   <li>Files in {@code incoming/} were never committed, so no client was told 250: deleted.</li>
 *   <li>A body in {@code bodies/} without a message row belonged to a commit that crashed
 *       between the rename and the row insert (the client got no 250 either), or to a message
 *       whose removal crashed after the rows went: deleted.</li>
 *   <li>A message row whose body is missing is mail that cannot be relayed; it is logged, not
 *       deleted, so the operator can see it in the queue listing.</li>
 *   <li>Leases are released: with no other process open, no worker that took one is alive, and
 *       its recipients should not wait for the lease to run out.</li>
 * </ul>
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private Recovery() {
    }

    static void run(SpoolDirectory spool, Connection connection) throws IOException, SQLException {
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
        for (Path file : spool.bodyFiles()) {
            QueueId id = idOf(file);
            if (id == null) {
                LOG.warn("leaving {} alone: not a queue id, not written by the queue", file);
            } else if (!messages.contains(id)) {
                Files.deleteIfExists(file);
                orphans++;
            }
        }
        for (QueueId id : messages) {
            if (!Files.exists(spool.bodyPath(id))) {
                LOG.error("queued message {} has no body file {}; it cannot be relayed", id, spool.bodyPath(id));
            }
        }
        if (incoming > 0 || orphans > 0 || leases > 0) {
            LOG.info("queue recovery: deleted {} unfinished incoming file(s) and {} body file(s) without a message,"
                    + " released {} lease(s) of the previous run", incoming, orphans, leases);
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
