package dev.mta.queue.h2;

import dev.mta.queue.spool.OwnerOnly;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Decides which process may clean up the spool at start-up. Recovery deletes files in
 * {@code incoming/} and bodies without rows, which is only safe while no other process has the
 * queue open: another process (the relay, or a {@code sendmail} command queueing directly) may
 * be between renaming a body into {@code bodies/} and inserting its rows.
 *
 * <p>Every open store holds a shared lock on {@code spool.lock}. An opener that gets the
 * exclusive lock instead is alone: it opens the database, recovers, and then holds a shared lock
 * like everyone else; an opener that does not get it waits for a shared lock, which also waits
 * out another process's recovery. Operating-system locks end with the process, so a crashed relay
 * never leaves a stale lock behind.
 *
 * <p>Java file locks belong to the whole JVM (a second lock on the same file in one JVM throws),
 * so stores opened in one JVM share one operating-system lock, counted.
 */
final class SpoolLock implements AutoCloseable {
    private static final Map<Path, Held> HELD = new HashMap<>();

    private final Path key;
    private final Held held;
    private final boolean alone;
    private boolean closed;

    private SpoolLock(Path key, Held held, boolean alone) {
        this.key = key;
        this.held = held;
        this.alone = alone;
    }

    static SpoolLock acquire(Path lockFile) throws IOException {
        synchronized (HELD) {
            FileChannel channel = FileChannel.open(lockFile,
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
                    OwnerOnly.fileAttribute());
            Path key = lockFile.toRealPath();
            while (HELD.containsKey(key)) {
                Held held = HELD.get(key);
                if (!held.exclusive) {
                    channel.close();
                    held.users++;
                    return new SpoolLock(key, held, false);
                }
                try {
                    HELD.wait();
                } catch (InterruptedException e) {
                    channel.close();
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while another store in this JVM recovered " + key);
                }
            }
            try {
                FileLock exclusive = channel.tryLock();
                boolean alone = exclusive != null;
                FileLock lock = alone ? exclusive : channel.lock(0, Long.MAX_VALUE, true);
                Held held = new Held(channel, lock, alone);
                HELD.put(key, held);
                return new SpoolLock(key, held, alone);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }
    }

    /** True when no other process or store had the queue open: start-up recovery is safe. */
    boolean isAlone() {
        return alone;
    }

    /** Ends the exclusive phase after recovery: from now on other openers may join. */
    void recovered() throws IOException {
        synchronized (HELD) {
            if (!alone || !held.exclusive) {
                return;
            }
            held.lock.release();
            held.lock = held.channel.lock(0, Long.MAX_VALUE, true);
            held.exclusive = false;
            HELD.notifyAll();
        }
    }

    @Override
    public void close() {
        synchronized (HELD) {
            if (closed) {
                return;
            }
            closed = true;
            held.exclusive = false;
            if (--held.users == 0) {
                HELD.remove(key);
                try {
                    held.channel.close();
                } catch (IOException e) {
                    // Closing the channel releases the lock; nothing else is held.
                }
            }
            HELD.notifyAll();
        }
    }

    private static final class Held {
        final FileChannel channel;
        FileLock lock;
        boolean exclusive;
        int users = 1;

        Held(FileChannel channel, FileLock lock, boolean exclusive) {
            this.channel = channel;
            this.lock = lock;
            this.exclusive = exclusive;
        }
    }
}
