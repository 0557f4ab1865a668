package dev.mta.delivery.smtpclient;

import java.util.Objects;

/** A {@link TlsPolicy}'s judgement of the server's certificate after the handshake. */
public sealed interface PeerVerdict {

    /** Go on with this server. */
    record Accepted() implements PeerVerdict {
    }

    /** Do not send mail over this connection; the reason ends up in {@link DeliveryError.TlsFailed}. */
    record Rejected(String reason) implements PeerVerdict {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static PeerVerdict accept() {
        return new Accepted();
    }

    static PeerVerdict reject(String reason) {
        return new Rejected(reason);
    }
}
