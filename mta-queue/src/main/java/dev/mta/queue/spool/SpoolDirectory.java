package dev.mta.queue.spool;

import dev.mta.queue.QueueId;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The message bodies, outside the database rows as in Postfix: {@code incoming/<id>} while a
 * body arrives, {@code bodies/<id>} once it is durable. A body reaches {@code bodies/} only by an
 * atomic rename followed by a sync of the directory, so a name in {@code bodies/} always points
 * at a complete, synced file.
 */
public final class SpoolDirectory {
    private final Path incoming;
    private final Path bodies;

    private SpoolDirectory(Path incoming, Path bodies) {
        this.incoming = incoming;
        this.bodies = bodies;
    }

    /** Opens (creating as 0700 where missing) {@code incoming/} and {@code bodies/} in the queue directory. */
    public static SpoolDirectory open(Path queueDirectory) throws IOException {
        return new SpoolDirectory(
                OwnerOnly.directory(queueDirectory.resolve("incoming")),
                OwnerOnly.directory(queueDirectory.resolve("bodies")));
    }

    /** Creates {@code incoming/<id>} (0600); fails if the name is taken. */
    public SpoolFile create(QueueId id) throws IOException {
        Path path = incomingPath(id);
        FileChannel channel = FileChannel.open(path,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OwnerOnly.fileAttribute());
        return new SpoolFile(path, channel);
    }

    /**
     * Moves a synced body from {@code incoming/} to {@code bodies/} and syncs {@code bodies/} so
     * the new name is on disk before the database row that refers to it.
     */
    public void promote(QueueId id) throws IOException {
        Files.move(incomingPath(id), bodyPath(id), StandardCopyOption.ATOMIC_MOVE);
        Fsync.directory(bodies);
    }

    public boolean isTaken(QueueId id) {
        return Files.exists(incomingPath(id)) || Files.exists(bodyPath(id));
    }

    /** The body, without the envelope trailer after it. */
    public InputStream openBody(QueueId id) throws IOException {
        Path file = bodyPath(id);
        long length = EnvelopeTrailer.read(file).bodyLength();
        return new BufferedInputStream(new LimitedInputStream(Files.newInputStream(file), length), SpoolFile.BUFFER_SIZE);
    }

    public boolean deleteBody(QueueId id) throws IOException {
        return Files.deleteIfExists(bodyPath(id));
    }

    public Path bodyPath(QueueId id) {
        return bodies.resolve(id.value());
    }

    public Path incomingPath(QueueId id) {
        return incoming.resolve(id.value());
    }

    public Path incomingDirectory() {
        return incoming;
    }

    public Path bodiesDirectory() {
        return bodies;
    }

    public List<Path> incomingFiles() throws IOException {
        return entries(incoming);
    }

    public List<Path> bodyFiles() throws IOException {
        return entries(bodies);
    }

    public boolean hasBodies() throws IOException {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(bodies)) {
            return stream.iterator().hasNext();
        }
    }

    private static List<Path> entries(Path directory) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            stream.forEach(entries::add);
        }
        return entries;
    }
}
