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
     */
    record Accepted(Optional<String> authentication) implements PeerVerdict {
        public Accepted {
            Objects.requireNonNull(authentication, "authentication");
        }
    }

    /** Do not send mail over this connection; the reason ends up in {@link DeliveryError.TlsFailed}. */
    record Rejected(String reason) implements PeerVerdict {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Accepted without authenticating the server (opportunistic or encrypt-only TLS). */
    static PeerVerdict accept() {
        return new Accepted(Optional.empty());
    }

    /** Accepted: the server proved who it is, as {@code how} says. */
    static PeerVerdict authenticated(String how) {
        return new Accepted(Optional.of(how));
    }

    static PeerVerdict reject(String reason) {
        return new Rejected(reason);
    }
}
