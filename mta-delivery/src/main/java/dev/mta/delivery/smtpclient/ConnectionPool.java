package dev.mta.delivery.smtpclient;

import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Idle sessions by hop, each kept for a while in case another message goes to the same hop, and
 * a count of the open connections per hop and in all for metrics. Safe for any thread; one lock
 * for everything, held only for a few map operations, so the totals are always consistent.
 */
final class ConnectionPool {
    private final Duration idleTime;
    private final Map<Hop, Deque<Idle>> idle = new HashMap<>();
    private final Map<Hop, Integer> open = new HashMap<>();
    private int openTotal;
    private int idleTotal;

    /** One stay in the pool; its own identity, so an old expiry never removes a later stay. */
    private static final class Idle {
        final SmtpConnection connection;
        ScheduledFuture<?> expiry;

        Idle(SmtpConnection connection) {
            this.connection = connection;
        }
    }

    ConnectionPool(Duration idleTime) {
        this.idleTime = idleTime;
    }

    /** The most recently parked usable session to this hop, taken out of the pool. */
    synchronized Optional<SmtpConnection> takeIdle(Hop hop) {
        Deque<Idle> waiting = idle.get(hop);
        while (waiting != null && !waiting.isEmpty()) {
            Idle entry = waiting.pollLast();
            idleTotal--;
            entry.expiry.cancel(false);
            if (waiting.isEmpty()) {
                idle.remove(hop);
            }
            if (entry.connection.channel().isActive()) {
                return Optional.of(entry.connection);
            }
        }
        return Optional.empty();
    }

    /** Keeps a session for {@code idleTime}, then says QUIT on it unless it was taken. */
    synchronized void park(Hop hop, SmtpConnection connection) {
        Idle entry = new Idle(connection);
        idle.computeIfAbsent(hop, h -> new ArrayDeque<>()).addLast(entry);
        idleTotal++;
        entry.expiry = connection.schedule(() -> {
            if (remove(hop, entry)) {
                connection.quit();
            }
        }, idleTime);
    }

    /** Counts a connection whose TCP connection is up. */
    synchronized void opened(Hop hop) {
        open.merge(hop, 1, Integer::sum);
        openTotal++;
    }

    /** A connection closed, whatever it was doing: uncounts it and forgets it if it was idle. */
    synchronized void closed(Hop hop, SmtpConnection connection) {
        Integer count = open.get(hop);
        if (count != null) {
            if (count == 1) {
                open.remove(hop);
            } else {
                open.put(hop, count - 1);
            }
            openTotal--;
        }
        Deque<Idle> waiting = idle.get(hop);
        if (waiting != null) {
            waiting.removeIf(entry -> {
                if (entry.connection == connection) {
                    entry.expiry.cancel(false);
                    idleTotal--;
                    return true;
                }
                return false;
            });
            if (waiting.isEmpty()) {
                idle.remove(hop);
            }
        }
    }

    /** Empties the pool, for shutdown. */
    synchronized List<SmtpConnection> drain() {
        List<SmtpConnection> all = new ArrayList<>();
        for (Deque<Idle> waiting : idle.values()) {
            for (Idle entry : waiting) {
                entry.expiry.cancel(false);
                all.add(entry.connection);
            }
        }
        idle.clear();
        idleTotal = 0;
        return all;
    }

    synchronized int idleConnections(Hop hop) {
        Deque<Idle> waiting = idle.get(hop);
        return waiting == null ? 0 : waiting.size();
    }

    synchronized int openConnections(Hop hop) {
        return open.getOrDefault(hop, 0);
    }

    synchronized Map<Hop, Integer> openConnections() {
        return Map.copyOf(open);
    }

    /** Every open connection by what it does now, in one consistent reading. */
    synchronized ConnectionCounts counts() {
        return new ConnectionCounts(openTotal - idleTotal, idleTotal);
    }

    private synchronized boolean remove(Hop hop, Idle entry) {
        Deque<Idle> waiting = idle.get(hop);
        if (waiting == null || !waiting.remove(entry)) {
            return false;
        }
        idleTotal--;
        if (waiting.isEmpty()) {
            idle.remove(hop);
        }
        return true;
    }
}
