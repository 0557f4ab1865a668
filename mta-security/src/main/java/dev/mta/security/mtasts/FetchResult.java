package dev.mta.security.mtasts;

import java.util.Objects;

/** The outcome of one policy fetch (RFC 8461 3.3). A failure is never a policy. */
public sealed interface FetchResult {

    /** A policy was fetched over authenticated HTTPS and parsed. */
    record Fetched(StsPolicy policy) implements FetchResult {
        public Fetched {
            Objects.requireNonNull(policy, "policy");
        }
    }

    /**
     * No policy could be had; {@code kind} says which TLS-RPT result type it is, {@code reason}
     * says what happened, for logs and reports.
     */
    record Failed(FailureKind kind, String reason) implements FetchResult {
        public Failed {
            Objects.requireNonNull(kind, "kind");
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("a failure needs a reason");
            }
        }
    }

    /** RFC 8460 4.3.2: the policy failure result types a TLS report gives. */
    enum FailureKind {
        /** No policy body could be had: DNS, connection, timeout, HTTP status, media type, size. */
        FETCH_ERROR("sts-policy-fetch-error"),
        /** A body was fetched but is not a valid policy (RFC 8461 3.2). */
        POLICY_INVALID("sts-policy-invalid"),
        /** The policy host's certificate did not pass PKIX validation with its name. */
        WEBPKI_INVALID("sts-webpki-invalid");

        private final String resultType;

        FailureKind(String resultType) {
            this.resultType = resultType;
        }

        /** The result-type as a TLS report writes it. */
        public String resultType() {
            return resultType;
        }
    }
}
