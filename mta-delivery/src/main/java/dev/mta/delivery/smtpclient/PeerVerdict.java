package dev.mta.delivery.smtpclient;

import java.util.Objects;
import java.util.Optional;

/** A {@link TlsPolicy}'s judgement of the server's certificate after the handshake. */
public sealed interface PeerVerdict {

    /**
     * Go on with this server.
     *
     * @param authentication how the server was authenticated, for the log line ({@code dane-ta},
     *                       {@code dane-ee}, {@code verified}, {@code fingerprint}); empty when it was not
     * @param overlooked     a rejection the policy observed but does not enforce (MTA-STS testing
     *                       mode, RFC 8461 5), for the TLS report
     */
    record Accepted(Optional<String> authentication, Optional<Rejected> overlooked) implements PeerVerdict {
        public Accepted {
            Objects.requireNonNull(authentication, "authentication");
            Objects.requireNonNull(overlooked, "overlooked");
        }
    }

    /** Do not send mail over this connection; reason and problem end up in {@link DeliveryError.TlsFailed}. */
    record Rejected(String reason, CertificateProblem problem) implements PeerVerdict {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(problem, "problem");
        }
    }

    /** Accepted without authenticating the server (opportunistic or encrypt-only TLS). */
    static PeerVerdict accept() {
        return new Accepted(Optional.empty(), Optional.empty());
    }

    /** Accepted without authentication although the certificate fails a check that is only reported. */
    static PeerVerdict acceptDespite(Rejected rejection) {
        return new Accepted(Optional.empty(), Optional.of(rejection));
    }

    /** Accepted: the server proved who it is, as {@code how} says. */
    static PeerVerdict authenticated(String how) {
        return new Accepted(Optional.of(how), Optional.empty());
    }

    static Rejected reject(String reason, CertificateProblem problem) {
        return new Rejected(reason, problem);
    }
}
