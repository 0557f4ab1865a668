package dev.mta.security.mtasts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** What {@link StsPolicyParser} made of a policy body: a policy, or why there is none. */
public sealed interface ParseResult {

    /** A valid policy body; it becomes a {@link StsPolicy} with the TXT id and fetch time. */
    record Valid(StsMode mode, List<String> mx, Duration maxAge) implements ParseResult {
        public Valid {
            Objects.requireNonNull(mode, "mode");
            mx = List.copyOf(mx);
            Objects.requireNonNull(maxAge, "maxAge");
        }

        public StsPolicy toPolicy(String id, Instant fetchedAt) {
            return new StsPolicy(mode, mx, maxAge, id, fetchedAt);
        }
    }

    /** RFC 8461 3.2: an invalid policy is rejected as a whole; {@code reason} is for logs. */
    record Invalid(String reason) implements ParseResult {
        public Invalid {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("an invalid policy needs a reason");
            }
        }
    }
}
