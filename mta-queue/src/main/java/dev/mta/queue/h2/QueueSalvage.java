package dev.mta.queue.h2;

import dev.mta.queue.QueueId;
import dev.mta.queue.StoreException;
import dev.mta.queue.spool.EnvelopeTrailer;
import dev.mta.queue.spool.Fsync;
import dev.mta.queue.spool.OwnerOnly;
import dev.mta.queue.spool.SpoolDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.h2.tools.Recover;
import org.h2.tools.RunScript;

/**
 * The way back from a damaged queue database ({@code mta queue salvage}), for a queue that no
 * process has open. Nothing is deleted:
 * <ol>
 *   <li>the damaged database moves into {@code queue/damaged-<time>/}, beside the SQL script
 *       that H2's Recover tool reads out of it;</li>
 *   <li>that script is run into a new database; if it gives back the queue's tables, that is the
 *       new queue, else the queue starts empty;</li>
 *   <li>every body the new queue has no message for comes back as a queued message from the
 *       envelope written after it ({@link EnvelopeTrailer}); one without (written before the
 *       trailer existed) moves to {@code damaged-<time>/bodies/}, since its envelope (sender,
 *       recipients) was in the lost rows. Start-up recovery would otherwise delete it.</li>
 * </ol>
 */
public final class QueueSalvage {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /**
     * What the salvage did.
     *
     * @param damagedDirectory  where the damaged database, its script and the set-aside bodies are
     * @param tablesRecovered   whether the queue's tables came back (else the new queue is empty)
     * @param messages          messages in the new queue
     * @param restored          messages put back from the envelope in their spool file
     * @param bodiesSetAside    bodies whose message was lost, now in {@code damagedDirectory/bodies}
     * @param messagesWithoutBody messages whose body file is missing (left queued, for the operator)
     */
    public record Report(Path damagedDirectory, boolean tablesRecovered, int messages, List<QueueId> restored,
            List<QueueId> bodiesSetAside, List<QueueId> messagesWithoutBody) {
    }

    private QueueSalvage() {
    }

    public static Report run(Path dataDirectory, Clock clock) throws StoreException {
        QueueFiles files = QueueFiles.in(dataDirectory.toAbsolutePath().normalize());
        if (!Files.exists(files.databaseFile())) {
            throw new StoreException("there is no queue database " + files.databaseFile() + " to salvage", null);
        }
        try (SpoolLock lock = SpoolLock.acquire(files.spoolLock())) {
            if (!lock.isAlone()) {
                throw new StoreException("another process has " + files.queueDirectory()
                        + " open; stop the relay (and any mta or sendmail command) before salvaging its queue", null);
            }
            Credentials credentials = Credentials.read(files.credentials());
            SpoolDirectory spool = SpoolDirectory.open(files.queueDirectory());
            Path damaged = OwnerOnly.directory(files.queueDirectory().resolve("damaged-" + STAMP.format(clock.instant())));
            Path script = readOut(files, damaged);
            boolean recovered = rebuild(files, credentials, script, damaged);
            Set<QueueId> messages;
            List<QueueId> restored = new ArrayList<>();
            List<QueueId> setAside;
            try (Connection connection = connect(files.databaseBase(), credentials)) {
                setAside = restoreOrSetAside(spool, MessageRows.allIds(connection), connection, clock, restored, damaged);
                messages = MessageRows.allIds(connection);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CHECKPOINT SYNC");
                }
            }
            List<QueueId> withoutBody = new ArrayList<>();
            for (QueueId id : messages.stream().sorted(Comparator.comparing(QueueId::value)).toList()) {
                if (!Files.exists(spool.bodyPath(id))) {
                    withoutBody.add(id);
                }
            }
            Fsync.directory(files.queueDirectory());
            return new Report(damaged, recovered, messages.size(), restored, setAside, withoutBody);
        } catch (IOException | SQLException e) {
            throw new StoreException("the salvage of " + files.queueDirectory() + " failed: " + e.getMessage()
                    + ". What it moved is in the queue directory's damaged-* directory; nothing was deleted", e);
        }
    }

    /** Lets H2's Recover write what it can read as SQL, then moves the damaged files aside. */
    private static Path readOut(QueueFiles files, Path damaged) throws IOException, SQLException {
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        Recover recover = new Recover();
        recover.setOut(quiet);
        recover.runTool("-dir", files.queueDirectory().toString(), "-db", "queue");
        for (String name : List.of("queue.mv.db", "queue.h2.sql", "queue.trace.db", "queue.lock.db")) {
            Path file = files.queueDirectory().resolve(name);
            if (Files.exists(file)) {
                Files.move(file, damaged.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Fsync.directory(damaged);
        return damaged.resolve("queue.h2.sql");
    }

    /**
     * Runs the script into a new database beside the damaged one, and puts it in place if it has
     * the queue's tables; otherwise an empty queue takes its place. True when the tables came back.
     */
    private static boolean rebuild(QueueFiles files, Credentials credentials, Path script, Path damaged)
            throws IOException, SQLException {
        Path rebuiltBase = damaged.resolve("rebuilt").resolve("queue");
        boolean recovered = false;
        if (Files.exists(script)) {
            try (Connection connection = connect(rebuiltBase, credentials)) {
                // Errors are expected where the file was damaged: take what runs.
                RunScript.execute(connection, Files.newBufferedReader(script, StandardCharsets.UTF_8));
            } catch (SQLException e) {
                // The script stopped early; whatever it made is judged below.
            }
            try (Connection connection = connect(rebuiltBase, credentials)) {
                Schema.requireIntact(connection);
                Schema.ensure(connection);
                recovered = true;
            } catch (SQLException e) {
                recovered = false;
            }
        }
        if (!recovered) {
            Files.deleteIfExists(rebuiltBase.resolveSibling("queue.mv.db"));
            try (Connection connection = connect(rebuiltBase, credentials)) {
                Schema.ensure(connection);
            }
        }
        try (Connection connection = connect(rebuiltBase, credentials);
             Statement statement = connection.createStatement()) {
            statement.execute("SET WRITE_DELAY 0");
            statement.execute("SHUTDOWN");
        }
        Path rebuilt = rebuiltBase.resolveSibling("queue.mv.db");
        try (var channel = java.nio.channels.FileChannel.open(rebuilt, java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(rebuilt, files.databaseFile(), StandardCopyOption.ATOMIC_MOVE);
        return recovered;
    }

    private static List<QueueId> restoreOrSetAside(SpoolDirectory spool, Set<QueueId> messages, Connection connection,
            Clock clock, List<QueueId> restored, Path damaged) throws IOException, SQLException {
        List<QueueId> setAside = new ArrayList<>();
        Path bodies = null;
        for (Path file : spool.bodyFiles()) {
            QueueId id;
            try {
                id = new QueueId(file.getFileName().toString());
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (!messages.contains(id)) {
                Optional<EnvelopeTrailer.Contents> contents = readable(file);
                if (contents.isPresent() && contents.get().envelope().isPresent()) {
                    MessageRows.insert(connection, id, contents.get().envelope().get(), contents.get().bodyLength(),
                            clock.instant());
                    restored.add(id);
                    continue;
                }
                if (bodies == null) {
                    bodies = OwnerOnly.directory(damaged.resolve("bodies"));
                }
                Files.move(file, bodies.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                setAside.add(id);
            }
        }
        if (bodies != null) {
            Fsync.directory(bodies);
            Fsync.directory(spool.bodiesDirectory());
        }
        setAside.sort(Comparator.comparing(QueueId::value));
        return setAside;
    }

    private static Optional<EnvelopeTrailer.Contents> readable(Path file) {
        try {
            return Optional.of(EnvelopeTrailer.read(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Connection connect(Path base, Credentials credentials) throws SQLException {
        return DriverManager.getConnection("jdbc:h2:" + base, credentials.user(), credentials.password());
    }
}
