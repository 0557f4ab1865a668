package dev.mta.queue.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blocks held back for the queue's own writes, as a file of zeros ({@code space.reserve} in the
 * queue directory). The minimum free space keeps the relay's own mail from filling the disk, but
 * not another process: when something else takes the last block, the queue database could not
 * even record a delivery (H2 closes a database whose write fails), and delivered mail would be
 * sent again. So when the file system is all but full the reserve is deleted, which gives the
 * database room to settle, delete and retry while new mail is refused; it is written again once
 * there is room for it above the minimum free space.
 */
public final class SpaceReserve {
    private static final Logger LOG = LoggerFactory.getLogger(SpaceReserve.class);
    static final String FILE_NAME = "space.reserve";
    private static final int CHUNK = 1024 * 1024;

    private final Path file;
    private final long bytes;
    private volatile boolean held;

    private SpaceReserve(Path file, long bytes, boolean held) {
        this.file = file;
        this.bytes = bytes;
        this.held = held;
    }

    /**
     * The reserve of a queue directory as it is on disk. One of another size (the setting
     * changed) is deleted, to be written again at the new size; nothing is written here.
     */
    public static SpaceReserve open(Path queueDirectory, long bytes) throws IOException {
        if (bytes < 0) {
            throw new IllegalArgumentException("the reserve cannot be negative: " + bytes);
        }
        Path file = queueDirectory.resolve(FILE_NAME);
        boolean held = Files.exists(file);
        if (held && Files.size(file) != bytes) {
            Files.delete(file);
            held = false;
        }
        return new SpaceReserve(file, bytes, held);
    }

    public long bytes() {
        return bytes;
    }

    /** Whether the reserved blocks are held (written), as far as this process knows. */
    public boolean isHeld() {
        return held;
    }

    /**
     * Gives the blocks back to the file system. True when this call freed them, so that a write
     * that failed for want of space is worth one more try.
     */
    public synchronized boolean release(String reason) {
        if (!held) {
            return false;
        }
        held = false;
        try {
            if (Files.deleteIfExists(file)) {
                LOG.warn("the file system of {} is full ({}): released the {}-byte space reserve so that queued mail"
                        + " can still be delivered and settled; new mail is refused until space returns", file.getParent(),
                        reason, bytes);
                return true;
            }
        } catch (IOException e) {
            LOG.error("could not release the space reserve {}: {}", file, e.toString());
        }
        return false;
    }

    /**
     * Writes the reserve again when the file system has room for it and still the minimum free
     * space beside it; a failure leaves it released and is tried again at the next call.
     */
    public void restoreIfRoom(long usableBytes, long minimumFreeBytes) {
        if (held || bytes == 0 || usableBytes - bytes < minimumFreeBytes) {
            return;
        }
        synchronized (this) {
            if (!held) {
                write();
            }
        }
    }

    private void write() {
        Path partial = file.resolveSibling(FILE_NAME + ".new");
        try {
            try (FileChannel channel = FileChannel.open(partial, Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), OwnerOnly.fileAttribute())) {
                ByteBuffer zeros = ByteBuffer.allocate(CHUNK);
                for (long written = 0; written < bytes; ) {
                    zeros.clear().limit((int) Math.min(CHUNK, bytes - written));
                    written += channel.write(zeros);
                }
                // Forced so that file systems with delayed allocation have really handed out the blocks.
                channel.force(true);
            }
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            held = true;
            LOG.info("reserved {} bytes in {} for the queue's own writes on a full disk", bytes, file);
        } catch (IOException e) {
            LOG.warn("could not write the space reserve {} ({}); trying again later", file, e.toString());
            try {
                Files.deleteIfExists(partial);
            } catch (IOException again) {
                LOG.error("could not delete the partial space reserve {}: {}", partial, again.toString());
            }
        }
    }
}
