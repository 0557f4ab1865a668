package dev.mta.delivery.smtpclient;

import static dev.mta.delivery.smtpclient.Outbound.await;
import static dev.mta.delivery.smtpclient.Outbound.completed;
import static dev.mta.delivery.smtpclient.Outbound.failed;
import static dev.mta.delivery.smtpclient.Outbound.hop;
import static dev.mta.delivery.smtpclient.Outbound.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.testsupport.smtp.ReceivedMessage;
import dev.mta.testsupport.smtp.ReplyPoint;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import dev.mta.testsupport.smtp.TlsDetails;
import dev.mta.testsupport.smtp.TlsHandshakeFailure;
import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.TestCertificates;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RFC 3207 STARTTLS as the hop's policy says; RFC 7672 1.3 clear-text retry for opportunistic TLS only. */
class StartTlsTest {
    private static CertifiedKey ca;
    private static CertifiedKey server;

    /** A policy like the ones DANE and MTA-STS will bring: TLS required, own SNI, own verdict. */
    record MandatoryPolicy(Optional<String> sni, BiFunction<List<X509Certificate>, SSLSession, PeerVerdict> verifier)
            implements TlsPolicy {
        @Override
        public StartTls startTls() {
            return StartTls.REQUIRED;
        }

        @Override
        public Optional<String> serverName(String mxHost) {
            return sni;
        }

        @Override
        public PeerVerdict verifyPeer(List<X509Certificate> chain, SSLSession session) {
            return verifier.apply(chain, session);
        }
    }

    private static MandatoryPolicy mandatory() {
        return new MandatoryPolicy(Optional.of(Outbound.MX_HOST), (chain, session) -> PeerVerdict.accept());
    }

    @BeforeAll
    static void certificates() {
        TestCertificates certificates = TestCertificates.ec();
        ca = certificates.ca("Test CA");
        server = certificates.leaf(ca, Outbound.MX_HOST);
    }

    private static SmtpSinkServer tlsSink() throws Exception {
        return SmtpSinkServer.builder().hostName(Outbound.MX_HOST).startTls(server.serverSslContext()).start();
    }

    @Test
    void howThePolicyAuthenticatedTheServerIsReportedWithTheSession() throws Exception {
        MandatoryPolicy daneLike = new MandatoryPolicy(Optional.of(Outbound.MX_HOST),
                (chain, session) -> PeerVerdict.authenticated("dane-ee"));
        try (SmtpSinkServer sink = tlsSink(); SmtpClient client = Outbound.client()) {
            SessionInfo authenticated = completed(await(client.send(hop(sink, daneLike), message("x\r\n", "bob@example.com")))).session();
            assertThat(authenticated.peerAuthentication()).contains("dane-ee");
            SessionInfo encrypted = completed(await(client.send(hop(sink, TlsPolicy.opportunistic()),
                    message("x\r\n", "bob@example.com")))).session();
            assertThat(encrypted.encrypted()).isTrue();
            assertThat(encrypted.peerAuthentication()).isEmpty();
        }
    }

    @Test
    void opportunisticTlsUpgradesWhenOfferedAndSaysEhloAgain() throws Exception {
        try (SmtpSinkServer sink = tlsSink(); SmtpClient client = Outbound.client()) {
            TransactionResult result = await(client.send(hop(sink, TlsPolicy.opportunistic()),
                    message("secret\r\n", "bob@example.com")));

            SessionInfo session = completed(result).session();
            assertThat(session.tlsProtocol()).contains("TLSv1.3");
            assertThat(session.tlsCipher()).hasValueSatisfying(cipher -> assertThat(cipher).startsWith("TLS_"));
            ReceivedMessage received = sink.awaitMessages(1, Outbound.PATIENCE).getFirst();
            TlsDetails tls = received.tls().orElseThrow();
            assertThat(tls.protocol()).isEqualTo("TLSv1.3");
            assertThat(tls.serverName()).contains(Outbound.MX_HOST);
            assertThat(sink.connections().getFirst().commands()).startsWith("EHLO", "STARTTLS", "EHLO", "MAIL");
        }
    }

    @Test
    void policyNoneNeverStartsTlsEvenWhenOffered() throws Exception {
        try (SmtpSinkServer sink = tlsSink(); SmtpClient client = Outbound.client()) {
            SessionInfo session = completed(await(client.send(hop(sink, TlsPolicy.none()),
                    message("x\r\n", "bob@example.com")))).session();

            assertThat(session.encrypted()).isFalse();
            assertThat(sink.connections().getFirst().commands()).doesNotContain("STARTTLS");
        }
    }

    @Test
    void opportunisticTlsGoesOnInClearTextWhenNotOffered() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            SessionInfo session = completed(await(client.send(hop(sink, TlsPolicy.opportunistic()),
                    message("x\r\n", "bob@example.com")))).session();

            assertThat(session.encrypted()).isFalse();
            assertThat(sink.awaitMessages(1, Outbound.PATIENCE).getFirst().tls()).isEmpty();
        }
    }

    @Test
    void opportunisticTlsGoesOnInClearTextWhenStartTlsIsRefused() throws Exception {
        try (SmtpSinkServer sink = tlsSink(); SmtpClient client = Outbound.client()) {
            sink.reply(ReplyPoint.STARTTLS, 454, "4.7.0 TLS not available");

            SessionInfo session = completed(await(client.send(hop(sink, TlsPolicy.opportunistic()),
                    message("x\r\n", "bob@example.com")))).session();

            assertThat(session.encrypted()).isFalse();
            assertThat(sink.connectionCount()).isEqualTo(1);
            assertThat(sink.connections().getFirst().commands()).startsWith("EHLO", "STARTTLS", "MAIL");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsHandshakeFailure.class)
    void opportunisticTlsRetriesOnceInClearTextAfterAFailedHandshake(TlsHandshakeFailure failure) throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().startTlsFailing(failure).start();
             SmtpClient client = Outbound.client()) {
            TransactionResult result = await(client.send(hop(sink, TlsPolicy.opportunistic()),
                    message("x\r\n", "bob@example.com")));

            assertThat(completed(result).recipients()).allMatch(RecipientResult::delivered);
            assertThat(completed(result).session().encrypted()).isFalse();
            assertThat(completed(result).session().clearTextFallback()).isPresent();
            assertThat(sink.connectionCount()).isEqualTo(2);
            assertThat(sink.connections().get(0).commands()).containsExactly("EHLO", "STARTTLS");
            assertThat(sink.connections().get(1).commands()).startsWith("EHLO", "MAIL").doesNotContain("STARTTLS");
            assertThat(sink.awaitMessages(1, Outbound.PATIENCE).getFirst().tls()).isEmpty();
        }
    }

    @Test
    void mandatoryTlsFailsWhenStartTlsIsNotOffered() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            TransactionResult.Failed failed = failed(await(client.send(hop(sink, mandatory()),
                    message("x\r\n", "bob@example.com"))));

            assertThat(failed.stage()).isEqualTo(Stage.STARTTLS);
            assertThat(failed.error()).isEqualTo(new DeliveryError.TlsRequired());
            assertThat(sink.awaitConnectionClosed(1, Outbound.PATIENCE).commands()).containsExactly("EHLO", "QUIT");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsHandshakeFailure.class)
    void mandatoryTlsNeverFallsBackToClearText(TlsHandshakeFailure failure) throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().startTlsFailing(failure).start();
             SmtpClient client = Outbound.client()) {
            TransactionResult.Failed failed = failed(await(client.send(hop(sink, mandatory()),
                    message("x\r\n", "bob@example.com"))));

            assertThat(failed.stage()).isEqualTo(Stage.STARTTLS);
            assertThat(failed.error()).isInstanceOf(DeliveryError.TlsFailed.class);
            assertThat(sink.connectionCount()).isEqualTo(1);
            assertThat(sink.messages()).isEmpty();
        }
    }

    @Test
    void mandatoryTlsFailsWhenStartTlsIsRefused() throws Exception {
        try (SmtpSinkServer sink = tlsSink(); SmtpClient client = Outbound.client()) {
            sink.reply(ReplyPoint.STARTTLS, 454, "4.7.0 TLS not available");

            TransactionResult.Failed failed = failed(await(client.send(hop(sink, mandatory()),
                    message("x\r\n", "bob@example.com"))));

            assertThat(failed.stage()).isEqualTo(Stage.STARTTLS);
            assertThat(failed.error()).isEqualTo(new DeliveryError.Reply(SmtpReply.of(454, "4.7.0 TLS not available")));
            assertThat(sink.messages()).isEmpty();
        }
    }

    @Test
    void theVerifierSeesTheServersChainAndSession() throws Exception {
        AtomicReference<List<X509Certificate>> seenChain = new AtomicReference<>();
        AtomicReference<String> seenProtocol = new AtomicReference<>();
        MandatoryPolicy policy = new MandatoryPolicy(Optional.of(Outbound.MX_HOST), (chain, session) -> {
            seenChain.set(chain);
            seenProtocol.set(session.getProtocol());
            return PeerVerdict.accept();
        });
        try (SmtpSinkServer sink = tlsSink(); SmtpClient client = Outbound.client()) {
            completed(await(client.send(hop(sink, policy), message("x\r\n", "bob@example.com"))));

            assertThat(seenChain.get()).containsExactlyElementsOf(server.chain());
            assertThat(seenProtocol.get()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void aRejectedCertificateFailsTheHopBeforeAnyMail() throws Exception {
        MandatoryPolicy policy = new MandatoryPolicy(Optional.of(Outbound.MX_HOST),
                (chain, session) -> PeerVerdict.reject("no TLSA record matches", CertificateProblem.TLSA_MISMATCH));
        try (SmtpSinkServer sink = tlsSink(); SmtpClient client = Outbound.client()) {
            TransactionResult.Failed failed = failed(await(client.send(hop(sink, policy),
                    message("x\r\n", "bob@example.com"))));

            assertThat(failed.stage()).isEqualTo(Stage.STARTTLS);
            assertThat(failed.error()).isEqualTo(new DeliveryError.TlsFailed("certificate rejected: no TLSA record matches",
                    Optional.of(CertificateProblem.TLSA_MISMATCH)));
            assertThat(failed.session().tlsProtocol()).contains("TLSv1.3");
            // The QUIT goes over TLS; no EHLO, no MAIL.
            assertThat(sink.awaitConnectionClosed(1, Outbound.PATIENCE).commands())
                    .containsExactly("EHLO", "STARTTLS", "QUIT");
            assertThat(sink.connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void sendsTheServerNameThePolicyChooses() throws Exception {
        MandatoryPolicy policy = new MandatoryPolicy(Optional.of("tlsa-base.example.net."),
                (chain, session) -> PeerVerdict.accept());
        try (SmtpSinkServer sink = tlsSink(); SmtpClient client = Outbound.client()) {
            await(client.send(hop(sink, policy), message("x\r\n", "bob@example.com")));

            assertThat(sink.awaitMessages(1, Outbound.PATIENCE).getFirst().tls().orElseThrow().serverName())
                    .contains("tlsa-base.example.net");
        }
    }

    @Test
    void sendsNoServerNameWhenThePolicySaysNone() throws Exception {
        MandatoryPolicy policy = new MandatoryPolicy(Optional.empty(), (chain, session) -> PeerVerdict.accept());
        try (SmtpSinkServer sink = tlsSink(); SmtpClient client = Outbound.client()) {
            await(client.send(hop(sink, policy), message("x\r\n", "bob@example.com")));

            assertThat(sink.awaitMessages(1, Outbound.PATIENCE).getFirst().tls().orElseThrow().serverName()).isEmpty();
        }
    }

    @Test
    void refusesClearTextThatFollowsTheStartTlsReply() throws Exception {
        try (SmtpSinkServer sink = tlsSink(); SmtpClient client = Outbound.client()) {
            // A man in the middle adding a reply after the 220, to be read as if it came under TLS.
            sink.replyRaw(ReplyPoint.STARTTLS, "220 2.0.0 Go ahead\r\n250-injected\r\n250 AUTH PLAIN\r\n");

            TransactionResult.Failed failed = failed(await(client.send(hop(sink, TlsPolicy.opportunistic()),
                    message("x\r\n", "bob@example.com"))));

            assertThat(failed.stage()).isEqualTo(Stage.STARTTLS);
            assertThat(failed.error()).isInstanceOf(DeliveryError.Protocol.class);
            assertThat(sink.messages()).isEmpty();
        }
    }

    @Test
    void aPolicyThatRequiresTlsNeverRetriesInClearTextEvenIfItAsks() throws Exception {
        TlsPolicy confused = new TlsPolicy() {
            @Override
            public StartTls startTls() {
                return StartTls.REQUIRED;
            }

            @Override
            public boolean retryInClearTextAfterHandshakeFailure() {
                return true;
            }
        };
        try (SmtpSinkServer sink = SmtpSinkServer.builder().startTlsFailing(TlsHandshakeFailure.CLOSE).start();
             SmtpClient client = Outbound.client()) {
            failed(await(client.send(hop(sink, confused), message("x\r\n", "bob@example.com"))));

            assertThat(sink.connectionCount()).isEqualTo(1);
        }
    }
}
