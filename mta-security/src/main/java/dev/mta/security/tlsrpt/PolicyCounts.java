package dev.mta.security.tlsrpt;

import java.util.Map;

/**
 * The counts of one applied policy in one report: the {@code summary} and {@code failure-details}
 * of a {@code policies} entry (RFC 8460 4.4).
 *
 * @param policy             the applied policy
 * @param successfulSessions {@code total-successful-session-count}
 * @param failures           each distinct failure with its {@code failed-session-count}
 */
public record PolicyCounts(AppliedPolicy policy, long successfulSessions, Map<SessionFailure, Long> failures) {

    public PolicyCounts {
        failures = Map.copyOf(failures);
    }

    /** {@code total-failure-session-count}: every failed session, each counted once. */
    public long failedSessions() {
        return failures.values().stream().mapToLong(Long::longValue).sum();
    }
}
