package dev.mta.delivery.smtpclient;

import java.util.Objects;
import java.util.Optional;

/**
 * Why a connection or transaction failed as a whole. The client reports; the caller's classifier
 * decides (next MX, defer, bounce) by switching over these.
 */
public sealed interface DeliveryError {

    /** The TCP connection could not be opened (refused, unreachable). */
    record ConnectFailed(String reason) implements DeliveryError {
        public ConnectFailed {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Nothing within that stage's timeout: no TCP connection at {@link Stage#CONNECT}, no progress
     * sending the content at {@link Stage#BODY}, no reply at any other stage.
     */
    record Timeout(Stage stage) implements DeliveryError {
        public Timeout {
            Objects.requireNonNull(stage, "stage");
        }
    }

    /**
     * The server refused: a greeting other than 2yz, EHLO and HELO refused, MAIL, DATA, STARTTLS
     * (under a policy that requires TLS) or AUTH refused, or 421 at any point (RFC 5321 3.8).
     */
    record Reply(SmtpReply reply) implements DeliveryError {
        public Reply {
            Objects.requireNonNull(reply, "reply");
        }
    }

    /**
     * The TLS handshake failed, or the policy's verifier rejected the server's certificate.
     *
     * @param problem what the verifier found wrong with the certificate; empty when the handshake
     *                itself failed (an alert, no common cipher, a timeout)
     */
    record TlsFailed(String reason, Optional<CertificateProblem> problem) implements DeliveryError {
        public TlsFailed {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(problem, "problem");
        }

        /** The handshake failed. */
        public TlsFailed(String reason) {
            this(reason, Optional.empty());
        }
    }

    /** The policy requires TLS and the server does not offer STARTTLS. */
    record TlsRequired() implements DeliveryError {
    }

    /** The server closed the connection (or it broke) at this stage. */
    record ConnectionLost(Stage stage) implements DeliveryError {
        public ConnectionLost {
            Objects.requireNonNull(stage, "stage");
        }
    }

    /** The server broke the protocol: a malformed or overlong reply, data where none belongs. */
    record Protocol(String reason) implements DeliveryError {
        public Protocol {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The hop has credentials but they could not be offered: the server has no AUTH PLAIN or
     * LOGIN, or the connection is not encrypted and the credentials do not allow clear text.
     */
    record AuthUnavailable(String reason) implements DeliveryError {
        public AuthUnavailable {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The message's {@link BodySource} could not be read. The connection was closed without the
     * final {@code .}, so the server discarded the partial message.
     */
    record BodyUnreadable(String reason) implements DeliveryError {
        public BodyUnreadable {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
