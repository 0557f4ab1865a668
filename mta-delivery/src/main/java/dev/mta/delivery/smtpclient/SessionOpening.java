package dev.mta.delivery.smtpclient;

import io.netty.channel.ConnectTimeoutException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The start of a session, up to the point where MAIL may be sent: greeting, EHLO (HELO when the
 * server refuses EHLO), STARTTLS as the hop's policy says and EHLO again, AUTH when the hop has
 * credentials. Ends with the connection ready, or with the failure and the connection closing.
 */
final class SessionOpening implements SmtpConnection.Conversation {

    /** How an opening ended. */
    sealed interface Outcome {
    }

    record Opened(SmtpConnection connection) implements Outcome {
    }

    /**
     * @param handshakeFailed the TLS handshake failed (not the policy's verdict): the one case
     *                        where a policy may allow a clear-text retry
     */
    record Refused(TransactionResult.Failed failure, boolean handshakeFailed) implements Outcome {
    }

    private final Hop hop;
    private final boolean startTlsAllowed;
    private final StartTlsEngines tlsEngines;
    private final String heloName;
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private SmtpConnection connection;

    /**
     * @param startTlsAllowed false for the clear-text retry after a failed handshake
     */
    SessionOpening(Hop hop, String heloName, boolean startTlsAllowed, StartTlsEngines tlsEngines) {
        this.hop = hop;
        this.heloName = heloName;
        this.startTlsAllowed = startTlsAllowed;
        this.tlsEngines = tlsEngines;
    }

    CompletableFuture<Outcome> outcome() {
        return outcome;
    }

    void connectFailed(Throwable cause) {
        DeliveryError error = cause instanceof ConnectTimeoutException
                ? new DeliveryError.Timeout(Stage.CONNECT)
                : new DeliveryError.ConnectFailed(SmtpConnection.describe(cause));
        outcome.complete(new Refused(new TransactionResult.Failed(SessionInfo.unconnected(hop), Stage.CONNECT, error),
                false));
    }

    /** The TCP connection is up; wait for the greeting. */
    void start(SmtpConnection connected) {
        this.connection = connected;
        connected.begin(this);
        connected.expect(Stage.GREETING, this::onGreeting);
    }

    @Override
    public void failed(Stage stage, DeliveryError error) {
        boolean handshakeFailed = stage == Stage.STARTTLS && error instanceof DeliveryError.TlsFailed;
        outcome.complete(new Refused(new TransactionResult.Failed(connection.sessionInfo(), stage, error),
                handshakeFailed));
    }

    private void onGreeting(SmtpReply reply) {
        connection.greeting(reply);
        if (!reply.isPositiveCompletion()) {
            // RFC 5321 3.1: a 554 greeting means no service here; the client says QUIT.
            refuse(Stage.GREETING, new DeliveryError.Reply(reply));
            return;
        }
        ehlo();
    }

    private void ehlo() {
        connection.send(SmtpCommand.of("EHLO " + heloName), Stage.EHLO, this::onEhlo);
    }

    private void onEhlo(SmtpReply reply) {
        if (reply.isPositiveCompletion()) {
            connection.extensions(ServerExtensions.fromEhlo(reply));
            afterHello();
        } else if (reply.isPermanent()) {
            // RFC 5321 3.2 and 4.1.4: a server that does not know EHLO answers 500, 502 or 504;
            // the client goes on with HELO and no extensions.
            connection.send(SmtpCommand.of("HELO " + heloName), Stage.HELO, this::onHelo);
        } else {
            refuse(Stage.EHLO, new DeliveryError.Reply(reply));
        }
    }

    private void onHelo(SmtpReply reply) {
        if (!reply.isPositiveCompletion()) {
            refuse(Stage.HELO, new DeliveryError.Reply(reply));
            return;
        }
        connection.extensions(ServerExtensions.none());
        afterHello();
    }

    private void afterHello() {
        TlsPolicy.StartTls startTls = hop.tls().startTls();
        if (!connection.encrypted() && startTls != TlsPolicy.StartTls.NEVER && startTlsAllowed) {
            if (connection.extensions().startTls()) {
                connection.send(SmtpCommand.of("STARTTLS"), Stage.STARTTLS, this::onStartTls);
                return;
            }
            if (startTls == TlsPolicy.StartTls.REQUIRED) {
                refuse(Stage.STARTTLS, new DeliveryError.TlsRequired());
                return;
            }
        }
        authenticate();
    }

    private void onStartTls(SmtpReply reply) {
        if (reply.isPositiveCompletion()) {
            connection.startTls(tlsEngines.handlerFor(hop), this::onHandshake);
        } else if (hop.tls().startTls() == TlsPolicy.StartTls.REQUIRED) {
            refuse(Stage.STARTTLS, new DeliveryError.Reply(reply));
        } else {
            // RFC 3207 4: the server declined; opportunistic TLS goes on in clear text.
            authenticate();
        }
    }

    private void onHandshake(SSLSession session) {
        List<X509Certificate> chain;
        try {
            chain = x509Chain(session.getPeerCertificates());
        } catch (SSLPeerUnverifiedException e) {
            refuse(Stage.STARTTLS, new DeliveryError.TlsFailed("the server presented no certificate"));
            return;
        }
        PeerVerdict verdict;
        try {
            verdict = hop.tls().verifyPeer(chain, session);
        } catch (RuntimeException e) {
            // A verifier that breaks has not vouched for the server.
            verdict = PeerVerdict.reject("the verifier failed: " + SmtpConnection.describe(e), CertificateProblem.NOT_TRUSTED);
        }
        if (verdict instanceof PeerVerdict.Rejected rejected) {
            refuse(Stage.STARTTLS, new DeliveryError.TlsFailed("certificate rejected: " + rejected.reason(),
                    Optional.of(rejected.problem())));
            return;
        }
        connection.peerAccepted((PeerVerdict.Accepted) verdict);
        // RFC 3207 4.2: forget what the server said before TLS and ask again.
        connection.extensions(ServerExtensions.none());
        ehlo();
    }

    private void authenticate() {
        if (hop.auth().isEmpty()) {
            opened();
            return;
        }
        Authentication.run(connection, hop.auth().get(), this::opened, this::refuse);
    }

    private void opened() {
        connection.end();
        outcome.complete(new Opened(connection));
    }

    /** The server said no, or the policy did: report, then leave politely. */
    private void refuse(Stage stage, DeliveryError error) {
        connection.end();
        outcome.complete(new Refused(new TransactionResult.Failed(connection.sessionInfo(), stage, error), false));
        connection.quit();
    }

    private static List<X509Certificate> x509Chain(Certificate[] certificates) {
        List<X509Certificate> chain = new ArrayList<>();
        for (Certificate certificate : certificates) {
            if (certificate instanceof X509Certificate x509) {
                chain.add(x509);
            }
        }
        return List.copyOf(chain);
    }
}
