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
 *
 * <p>It also keeps the {@link SpaceReserve}: released when the file system is all but full,
 * written again when there is room for it above the minimum.
 */
public final class DiskSpace {
    private final Path directory;
    private final FileStore fileStore;
    private final long minimumFreeBytes;
    private final SpaceReserve reserve;

    private DiskSpace(Path directory, FileStore fileStore, long minimumFreeBytes, SpaceReserve reserve) {
        this.directory = directory;
        this.fileStore = fileStore;
        this.minimumFreeBytes = minimumFreeBytes;
        this.reserve = reserve;
    }

    /** Free space of the queue directory's file system, with a reserve of {@code reserveBytes} (0 for none). */
    public static DiskSpace of(Path directory, long minimumFreeBytes, long reserveBytes) throws IOException {
        DiskSpace space = new DiskSpace(directory, Files.getFileStore(directory), minimumFreeBytes,
                SpaceReserve.open(directory, reserveBytes));
        space.keepReserve();
        return space;
    }

    public static DiskSpace of(Path directory, long minimumFreeBytes) throws IOException {
        return of(directory, minimumFreeBytes, 0);
    }

    /**
     * Releases the reserve when the file system is all but full (less usable space than the
     * reserve would give back), or writes it again when there is room; one statfs(2) otherwise.
     * Called before the queue writes, so that a disk filled by someone else is noticed before the
     * database runs into it.
     */
    public void keepReserve() {
        if (reserve.bytes() == 0) {
            return;
        }
        try {
            long usable = usableBytes();
            if (usable < reserve.bytes()) {
                reserve.release(usable + " bytes usable");
            } else {
                reserve.restoreIfRoom(usable, minimumFreeBytes);
            }
        } catch (IOException e) {
            // Cannot tell; the write itself will tell (see releaseReserveAfter).
        }
    }

    /**
     * After a write failed for want of space: releases the reserve. True when that freed room,
     * so the failed write is worth one more try.
     */
    public boolean releaseReserveAfter(Throwable outOfSpace) {
        return reserve.release(outOfSpace.getMessage());
    }

    public boolean isReserveHeld() {
        return reserve.isHeld();
    }

    /** Usable bytes for this (unprivileged) process, asked of the file system each time. */
    public long usableBytes() throws IOException {
        return fileStore.getUsableSpace();
    }

    public boolean isBelowMinimum() {
        try {
            return usableBytes() - (reserve.isHeld() ? 0 : reserve.bytes()) < minimumFreeBytes;
        } catch (IOException e) {
            return false;
        }
    }

    /** Throws a resource shortage when usable space is below the minimum. */
    public void requireMinimumFree(String action) throws StoreException {
        keepReserve();
        long usable;
        try {
            usable = usableBytes();
        } catch (IOException e) {
            throw new StoreException("cannot tell the free space of " + directory + " to " + action, e);
        }
        // Space the reserve gave back is for the queue's own writes, not for new mail.
        long released = reserve.isHeld() ? 0 : reserve.bytes();
        if (usable - released < minimumFreeBytes) {
            String reserveNote = released == 0 ? "" : " (" + released + " of them the released space reserve, kept for queued mail)";
            throw new StoreException("refusing to " + action + ": " + usable + " bytes usable on the file system of "
                    + directory + reserveNote + ", below the minimum of " + minimumFreeBytes, null, true);
        }
    }
}
