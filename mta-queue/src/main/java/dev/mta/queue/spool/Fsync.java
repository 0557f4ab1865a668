package dev.mta.queue.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes a directory entry durable. Syncing a file's data does not sync the name that points to
 * it: after creating or renaming a file, the directory itself must be synced (fsync(2) on the
 * directory), or a crash can leave the data on disk with no name (Postfix does the same after
 * moving a queue file from incoming to active).
 */
public final class Fsync {
    private Fsync() {
    }

    public static void directory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
