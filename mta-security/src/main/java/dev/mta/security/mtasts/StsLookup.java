package dev.mta.security.mtasts;

import java.util.Objects;
import java.util.Optional;

/** Which MTA-STS policy applies to a domain now (RFC 8461 5.1), as {@link StsPolicies} decides. */
public sealed interface StsLookup {

    /**
     * The policy in force. In mode none it protects nothing. {@code refreshFailure} is set when
     * a newer policy was announced (or due) but could not be fetched, and this cached one is
     * used until its max_age: a TLS report may mention the failure.
     */
    record InForce(StsPolicy policy, Optional<FetchResult.Failed> refreshFailure) implements StsLookup {
        public InForce {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(refreshFailure, "refreshFailure");
        }
    }

    /** The domain has no policy: no valid TXT record, and none cached. */
    record NoPolicy(String reason) implements StsLookup {
        public NoPolicy {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A TXT record announces a policy but it could not be fetched, and none is cached: deliver
     * as without MTA-STS (RFC 8461 5.1 gives nothing to enforce) and report the failure.
     */
    record Unavailable(FetchResult.Failed failure) implements StsLookup {
        public Unavailable {
            Objects.requireNonNull(failure, "failure");
        }
    }

    /** The policy to apply to MX hosts: present in modes enforce and testing only. */
    default Optional<StsPolicy> protection() {
        return this instanceof InForce inForce && inForce.policy().mode() != StsMode.NONE
                ? Optional.of(inForce.policy())
                : Optional.empty();
    }
}
