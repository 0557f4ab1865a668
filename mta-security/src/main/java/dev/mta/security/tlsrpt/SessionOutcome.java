package dev.mta.security.tlsrpt;

import java.util.Objects;
import java.util.Optional;

/**
 * How one delivery session went, for TLS-RPT: the policy it was held to and, unless it succeeded,
 * why it failed. The delivery code makes one per session (RFC 8460 4: a session, not a message,
 * is what is counted).
 *
 * @param policy  the applied policy
 * @param failure empty for a successful session
 */
public record SessionOutcome(AppliedPolicy policy, Optional<SessionFailure> failure) {

    public SessionOutcome {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(failure, "failure");
    }

    public static SessionOutcome success(AppliedPolicy policy) {
        return new SessionOutcome(policy, Optional.empty());
    }

    public static SessionOutcome failure(AppliedPolicy policy, SessionFailure failure) {
        return new SessionOutcome(policy, Optional.of(failure));
    }

    public boolean succeeded() {
        return failure.isEmpty();
    }
}
