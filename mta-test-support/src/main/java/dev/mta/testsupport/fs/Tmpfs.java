package dev.mta.testsupport.fs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A small file system of its own, so that a test can fill a disk to the last block without
 * touching the machine's: a tmpfs of a fixed size, mounted on a new temporary directory.
 * Mounting needs root (CAP_SYS_ADMIN); {@link #unavailable()} says why it cannot be had.
 */
public final class Tmpfs implements AutoCloseable {
    private final Path mountPoint;

    private Tmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Why a tmpfs cannot be mounted here, or empty when it can (root, and mount(8) installed). */
    public static Optional<String> unavailable() {
        if (!Files.isExecutable(Path.of("/bin/mount")) && !Files.isExecutable(Path.of("/usr/bin/mount"))) {
            return Optional.of("mount(8) is not installed");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("mounting a tmpfs needs root, and this runs as " + System.getProperty("user.name"));
        }
        return Optional.empty();
    }

    /** Mounts a tmpfs of {@code bytes} (rounded up to pages by the kernel), mode 0755. */
    public static Tmpfs mount(long bytes) throws IOException {
        Path mountPoint = Files.createTempDirectory("tmpfs-");
        run("mount", "-t", "tmpfs", "-o", "size=" + bytes + ",mode=0755", "tmpfs", mountPoint.toString());
        return new Tmpfs(mountPoint);
    }

    public Path path() {
        return mountPoint;
    }

    public long usableBytes() throws IOException {
        return Files.getFileStore(mountPoint).getUsableSpace();
    }

    /**
     * Writes a file until the file system refuses more (ENOSPC), as another process filling the
     * disk would; delete the file to give the space back.
     */
    public Path fill(String name) throws IOException {
        Path filler = mountPoint.resolve(name);
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left on device")) {
                throw e;
            }
        }
        return filler;
    }

    /** Unmounts (lazily, should a file still be open) and removes the mount point. */
    @Override
    public void close() throws IOException {
        run("umount", "-l", mountPoint.toString());
        Files.deleteIfExists(mountPoint);
    }

    private static void run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command[0], e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): " + output);
        }
    }
}
