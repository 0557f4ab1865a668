package dev.mta.queue.spool;

import dev.mta.queue.StoreException;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Postfix's queue_minfree: refuse new mail while the queue's file system has less than a
 * minimum of usable space, so that mail already accepted can still be settled and logged and the
 * database never runs into a full disk halfway through a write. Refusing is a temporary failure
 * (452 4.3.1): the client keeps the message and tries later.
 */
public final class DiskSpace {
    private final Path directory;
    private final FileStore fileStore;
    private final long minimumFreeBytes;

    private DiskSpace(Path directory, FileStore fileStore, long minimumFreeBytes) {
        this.directory = directory;
        this.fileStore = fileStore;
        this.minimumFreeBytes = minimumFreeBytes;
    }

    public static DiskSpace of(Path directory, long minimumFreeBytes) throws IOException {
        return new DiskSpace(directory, Files.getFileStore(directory), minimumFreeBytes);
    }

    /** Usable bytes for this (unprivileged) process, asked of the file system each time. */
    public long usableBytes() throws IOException {
        return fileStore.getUsableSpace();
    }

    public boolean isBelowMinimum() {
        try {
            return usableBytes() < minimumFreeBytes;
        } catch (IOException e) {
            return false;
        }
    }

    /** Throws a resource shortage when usable space is below the minimum. */
    public void requireMinimumFree(String action) throws StoreException {
        long usable;
        try {
            usable = usableBytes();
        } catch (IOException e) {
            throw new StoreException("cannot tell the free space of " + directory + " to " + action, e);
        }
        if (usable < minimumFreeBytes) {
            throw new StoreException("refusing to " + action + ": " + usable + " bytes usable on the file system of "
                    + directory + ", below the minimum of " + minimumFreeBytes, null, true);
        }
    }
}
