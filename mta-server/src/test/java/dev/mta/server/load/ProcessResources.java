package dev.mta.server.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What this JVM holds of the machine, read the way an operator would (Linux /proc): open file
 * descriptors, OS threads, resident memory, and the Java heap left after a full collection (the
 * live set, which grows only if something leaks).
 */
final class ProcessResources {
    private ProcessResources() {
    }

    static int openFileDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** OS threads of the process: platform threads and the carriers of virtual threads. */
    static int threads() {
        return (int) statusField("Threads:");
    }

    static long residentBytes() {
        return statusField("VmRSS:") * 1024;
    }

    /** Heap in use right after a full collection: what is still reachable. */
    static long heapAfterGcBytes() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long statusField(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no " + name + " in /proc/self/status");
    }
}
