package dev.mta.server.smtp;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed AUTH attempts per client address, shared by all listeners, to slow password guessing
 * down and then stop it (Postfix leaves this to anvil and fail2ban; a relay on its own should not
 * need either). Each failure after the first makes the client wait a second longer before its
 * next command is read (up to {@link #MAX_PAUSE}); at {@code limit} failures within {@link #WINDOW} the address
 * may not try AUTH again until its oldest failure in the window is older than the window. A
 * success clears the address. Memory is bounded: the {@link #MAX_CLIENTS} most recent addresses.
 */
public final class AuthThrottle {
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final Duration MAX_PAUSE = Duration.ofSeconds(10);
    static final int MAX_CLIENTS = 10_000;

    private final Clock clock;
    private final Map<InetAddress, Deque<Instant>> failures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Deque<Instant>> eldest) {
            return size() > MAX_CLIENTS;
        }
    };

    public AuthThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Records a failure; returns how long the client's next command should wait. */
    synchronized Duration failed(InetAddress client) {
        Deque<Instant> recent = recent(client);
        recent.addLast(clock.instant());
        // The first failure is free: a typo should cost nothing.
        long seconds = Math.min(recent.size() - 1, MAX_PAUSE.toSeconds());
        return Duration.ofSeconds(seconds);
    }

    /** Whether the client has had {@code limit} failures within the window. */
    synchronized boolean refused(InetAddress client, int limit) {
        return recent(client).size() >= limit;
    }

    synchronized void succeeded(InetAddress client) {
        failures.remove(client);
    }

    private Deque<Instant> recent(InetAddress client) {
        Deque<Instant> recent = failures.computeIfAbsent(client, key -> new ArrayDeque<>());
        Instant cutoff = clock.instant().minus(WINDOW);
        while (!recent.isEmpty() && !recent.peekFirst().isAfter(cutoff)) {
            recent.removeFirst();
        }
        return recent;
    }
}
