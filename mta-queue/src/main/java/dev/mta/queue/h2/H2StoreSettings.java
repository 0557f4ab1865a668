package dev.mta.queue.h2;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * What the embedded store needs to open, with every default in one place.
 *
 * @param dataDirectory the relay's data directory; the queue lives in {@code <data>/queue}
 * @param clock         stamps queue and attempt times (not lease times: claimDue is given "now")
 * @param minFreeBytes  below this much usable space receive() and commit() refuse with a
 *                      resource shortage, like Postfix's queue_minfree (default 64 MiB)
 * @param connections   database connections shared by the callers of the store (default 8);
 *                      the sync has one more of its own
 * @param reserveBytes  blocks held back for the queue's own writes when another process fills the
 *                      disk (see {@link dev.mta.queue.spool.SpaceReserve}); none by default here,
 *                      the relay's configuration asks for one ({@code queue.reserve-space})
 */
public record H2StoreSettings(Path dataDirectory, Clock clock, long minFreeBytes, int connections, long reserveBytes) {
    public static final long DEFAULT_MIN_FREE_BYTES = 64L * 1024 * 1024;
    public static final long DEFAULT_RESERVE_BYTES = 0;
    public static final int DEFAULT_CONNECTIONS = 8;

    public H2StoreSettings {
        dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory").toAbsolutePath().normalize();
        Objects.requireNonNull(clock, "clock");
        if (minFreeBytes < 0) {
            throw new IllegalArgumentException("minFreeBytes must not be negative: " + minFreeBytes);
        }
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1: " + connections);
        }
        if (reserveBytes < 0) {
            throw new IllegalArgumentException("reserveBytes must not be negative: " + reserveBytes);
        }
    }

    public static H2StoreSettings defaults(Path dataDirectory) {
        return new H2StoreSettings(dataDirectory, Clock.systemUTC(), DEFAULT_MIN_FREE_BYTES, DEFAULT_CONNECTIONS,
                DEFAULT_RESERVE_BYTES);
    }

    public H2StoreSettings withClock(Clock newClock) {
        return new H2StoreSettings(dataDirectory, newClock, minFreeBytes, connections, reserveBytes);
    }

    public H2StoreSettings withMinFreeBytes(long newMinFreeBytes) {
        return new H2StoreSettings(dataDirectory, clock, newMinFreeBytes, connections, reserveBytes);
    }

    public H2StoreSettings withConnections(int newConnections) {
        return new H2StoreSettings(dataDirectory, clock, minFreeBytes, newConnections, reserveBytes);
    }

    public H2StoreSettings withReserveBytes(long newReserveBytes) {
        return new H2StoreSettings(dataDirectory, clock, minFreeBytes, connections, newReserveBytes);
    }
}
