package dev.mta.delivery.faults;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What a leak would show in the test's own process: platform threads (Netty event loops, DNS
 * selectors, schedulers) and open file descriptors (every socket, UDP or TCP, holds one). Fault
 * tests take a reading after a first round of faults (so thread pools that start lazily have
 * started) and another after several more: a leak grows with the rounds, a steady state does not.
 *
 * @param threads         live platform threads
 * @param fileDescriptors open file descriptors, or -1 where the platform does not say
 */
public record ProcessResources(int threads, long fileDescriptors) {
    /** Threads and descriptors that come and go on their own (JIT, GC, a socket closing) stay within this. */
    public static final int SLACK = 4;

    public static ProcessResources now() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        long descriptors = os instanceof UnixOperatingSystemMXBean unix ? unix.getOpenFileDescriptorCount() : -1;
        return new ProcessResources(ManagementFactory.getThreadMXBean().getThreadCount(), descriptors);
    }

    /** Whether this reading is within {@link #SLACK} of {@code baseline} (or below it) on both counts. */
    public boolean near(ProcessResources baseline) {
        return threads <= baseline.threads + SLACK
                && (fileDescriptors < 0 || fileDescriptors <= baseline.fileDescriptors + SLACK);
    }

    /**
     * Waits for the process to settle back near {@code baseline}: sockets close and threads end
     * a moment after the work that used them. Returns the last reading either way, for the
     * assertion to print.
     */
    public static ProcessResources awaitNear(ProcessResources baseline, Duration patience) throws InterruptedException {
        return awaitCondition(ProcessResources::now, reading -> reading.near(baseline), patience);
    }

    /** Polls {@code reading} until {@code settled} holds or {@code patience} runs out; the last reading. */
    public static <T> T awaitCondition(Supplier<T> reading, java.util.function.Predicate<T> settled, Duration patience)
            throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        T last = reading.get();
        while (!settled.test(last) && System.nanoTime() < deadline) {
            // Nothing signals "a socket closed somewhere in the process": a short poll is all there is.
            Thread.sleep(10);
            last = reading.get();
        }
        return last;
    }
}
