package dev.mta.security.mtasts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A policy as fetched (RFC 8461 3.2), with what the cache needs to judge it (5.1).
 *
 * @param mode      what the sender does with it
 * @param mx        the MX host patterns, lower case; empty only in mode none
 * @param maxAge    how long the policy may be used after {@code fetchedAt}
 * @param id        the {@code id} of the TXT record it was fetched for (RFC 8461 3.1)
 * @param fetchedAt when it was fetched
 */
public record StsPolicy(StsMode mode, List<String> mx, Duration maxAge, String id, Instant fetchedAt) {
    /** RFC 8461 3.2: max_age is at most 31557600 seconds (about a year). */
    public static final Duration MAX_AGE_LIMIT = Duration.ofSeconds(31_557_600);

    public StsPolicy {
        Objects.requireNonNull(mode, "mode");
        mx = List.copyOf(mx);
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(fetchedAt, "fetchedAt");
        if (maxAge.isNegative() || maxAge.compareTo(MAX_AGE_LIMIT) > 0) {
            throw new IllegalArgumentException("max_age out of range: " + maxAge);
        }
        if (mx.isEmpty() && mode != StsMode.NONE) {
            throw new IllegalArgumentException("a policy in mode " + mode.token() + " needs mx patterns");
        }
    }

    /** The end of the policy's life in the cache (RFC 8461 5.1). */
    public Instant expiresAt() {
        return fetchedAt.plus(maxAge);
    }

    /** True once max_age has passed since the fetch. */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt());
    }

    /** RFC 8461 4.1: whether {@code mxHost} is one of the hosts this policy names. */
    public boolean permits(String mxHost) {
        return MxPatterns.matchesAny(mx, mxHost);
    }
}
