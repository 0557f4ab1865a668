package dev.mta.server.pickup;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The on-disk layout of the mail drop, by default {@code <data>/maildrop}, modelled on Postfix's
 * maildrop and the maildir tmp/new convention:
 * <ul>
 *   <li>{@code tmp/} files being written; the pickup never looks here, so a half-written file
 *       (a killed sendmail, a full disk) is never queued;</li>
 *   <li>{@code new/} finished files, moved in by an atomic rename after they were synced;</li>
 *   <li>{@code corrupt/} files the pickup could not read, kept for the operator.</li>
 * </ul>
 * All three are on one file system, which is what makes the rename atomic.
 *
 * <p>A file name is {@code <epoch millis, 13 digits>.<pid>.<16 hex random>}: unique without
 * locking between concurrent sendmail processes, and ordered oldest first by name.
 */
public final class DropDirectory {
    static final Pattern FILE_NAME = Pattern.compile("\\d{13}\\.\\d+\\.[0-9a-f]{16}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;

    private DropDirectory(Path root) {
        this.root = root;
    }

    /** The drop under {@code root}, creating its subdirectories when missing. */
    public static DropDirectory open(Path root) throws IOException {
        Objects.requireNonNull(root, "root");
        DropDirectory drop = new DropDirectory(root.toAbsolutePath().normalize());
        Files.createDirectories(drop.tmp());
        Files.createDirectories(drop.ready());
        Files.createDirectories(drop.corrupt());
        return drop;
    }

    /** The drop's directory name under the data directory. */
    public static final String NAME = "maildrop";

    /** The conventional place: {@code <data>/maildrop}. */
    public static DropDirectory inDataDirectory(Path dataDirectory) throws IOException {
        return open(dataDirectory.resolve(NAME));
    }

    public Path root() {
        return root;
    }

    public Path tmp() {
        return root.resolve("tmp");
    }

    /** Where finished files wait for the pickup ({@code new/}). */
    public Path ready() {
        return root.resolve("new");
    }

    public Path corrupt() {
        return root.resolve("corrupt");
    }

    static String newFileName(Instant now) {
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        return String.format("%013d.%d.%s", now.toEpochMilli(), ProcessHandle.current().pid(),
                HexFormat.of().formatHex(random));
    }

    /**
     * Makes the directory entries in {@code directory} (a rename into it) durable. Linux lets a
     * directory be opened for reading and forced, which syncs its entries; without it a crash
     * after the rename may lose the file although its content was synced.
     */
    static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
