package dev.mta.delivery.scheduler;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The per-destination concurrency limit (Postfix's {@code default_destination_concurrency_limit}):
 * at most {@code limit} attempts to one domain at a time, the others wait their turn.
 *
 * <p>A domain has an entry only while an attempt to it runs or waits: the last one out removes
 * it. A relay that sends to many domains (every recipient domain of every message is one) would
 * otherwise keep a semaphore for each domain it ever saw, for as long as it runs.
 */
final class DestinationSlots {
    /** One domain's permits, and how many attempts hold or wait for them (changed only inside the map's compute). */
    private static final class Destination {
        final Semaphore permits;
        int users;

        Destination(int limit) {
            this.permits = new Semaphore(limit);
        }
    }

    /** A slot held; closing it lets the next attempt to the domain go. Close it once. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    private final int limit;
    private final Map<String, Destination> destinations = new ConcurrentHashMap<>();

    DestinationSlots(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a destination needs at least one slot: " + limit);
        }
        this.limit = limit;
    }

    /**
     * Waits until an attempt to {@code domain} may run.
     *
     * @throws InterruptedException when interrupted while waiting; nothing is then held
     */
    Slot acquire(String domain) throws InterruptedException {
        Destination destination = destinations.compute(domain, (d, existing) -> {
            Destination joined = existing == null ? new Destination(limit) : existing;
            joined.users++;
            return joined;
        });
        try {
            destination.permits.acquire();
        } catch (InterruptedException e) {
            leave(domain);
            throw e;
        }
        return () -> {
            destination.permits.release();
            leave(domain);
        };
    }

    /** Domains with an attempt running or waiting now. */
    int destinations() {
        return destinations.size();
    }

    private void leave(String domain) {
        destinations.computeIfPresent(domain, (d, destination) -> --destination.users == 0 ? null : destination);
    }
}
