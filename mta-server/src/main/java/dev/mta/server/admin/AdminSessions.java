package dev.mta.server.admin;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Browser sessions for the status page where the admin listener requires a token. A browser
 * cannot send a bearer token with a page load, and a token in the URL would end up in logs and
 * history; so the login form takes the token once and the browser gets a cookie holding a
 * random session id instead (HttpOnly, SameSite=Strict). A session only reads: it opens the
 * status page, never the API and never a change to the queue. Sessions live in memory for
 * {@link #LIFETIME}, at most {@link #MAX_SESSIONS} at once (the oldest goes first), and end
 * when the relay stops.
 */
final class AdminSessions {
    static final String COOKIE = "mta_admin_session";
    static final Duration LIFETIME = Duration.ofHours(12);
    static final int MAX_SESSIONS = 32;

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> expiries = new HashMap<>();

    AdminSessions(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A new session's id: 256 random bits, URL-safe. */
    synchronized String open() {
        Instant now = clock.instant();
        expiries.values().removeIf(expiry -> !expiry.isAfter(now));
        if (expiries.size() >= MAX_SESSIONS) {
            expiries.entrySet().stream().min(Map.Entry.comparingByValue(Comparator.naturalOrder()))
                    .ifPresent(oldest -> expiries.remove(oldest.getKey()));
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        expiries.put(id, now.plus(LIFETIME));
        return id;
    }

    synchronized boolean valid(String id) {
        Instant expiry = expiries.get(id);
        if (expiry == null) {
            return false;
        }
        if (!expiry.isAfter(clock.instant())) {
            expiries.remove(id);
            return false;
        }
        return true;
    }

    /** The Set-Cookie value that gives a browser this session. */
    static String cookie(String id) {
        // No Secure attribute: the admin listener speaks plain HTTP (loopback, or behind a TLS proxy).
        return COOKIE + "=" + id + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + LIFETIME.toSeconds();
    }
}
