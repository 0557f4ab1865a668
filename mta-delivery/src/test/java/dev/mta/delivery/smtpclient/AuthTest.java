package dev.mta.delivery.smtpclient;

import static dev.mta.delivery.smtpclient.Outbound.await;
import static dev.mta.delivery.smtpclient.Outbound.completed;
import static dev.mta.delivery.smtpclient.Outbound.failed;
import static dev.mta.delivery.smtpclient.Outbound.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.testsupport.smtp.SmtpSinkServer;
import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.TestCertificates;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 4954 AUTH to a relay host: PLAIN or LOGIN, and never a password in clear text unless allowed. */
class AuthTest {
    private static final Credentials CREDENTIALS = new Credentials("relay-user", "s3cret pass");
    private static CertifiedKey server;

    @BeforeAll
    static void certificate() {
        server = TestCertificates.ec().selfSignedLeaf("smarthost.example.net");
    }

    private static Hop hop(SmtpSinkServer sink, TlsPolicy policy, Credentials credentials) {
        return new Hop("smarthost.example.net", sink.address(), policy, Optional.of(credentials));
    }

    private static SmtpSinkServer.Builder relayHost() {
        return SmtpSinkServer.builder().requireAuth("relay-user", "s3cret pass");
    }

    @Test
    void authenticatesWithPlainUnderTls() throws Exception {
        try (SmtpSinkServer sink = relayHost().startTls(server.serverSslContext()).start();
             SmtpClient client = Outbound.client()) {
            TransactionResult result = await(client.send(hop(sink, TlsPolicy.opportunistic(), CREDENTIALS),
                    message("x\r\n", "bob@example.com")));

            assertThat(completed(result).recipients()).allMatch(RecipientResult::delivered);
            var received = sink.awaitMessages(1, Outbound.PATIENCE).getFirst();
            assertThat(received.authenticatedUser()).contains("relay-user");
            assertThat(received.tls()).isPresent();
            assertThat(sink.connections().getFirst().commands())
                    .startsWith("EHLO", "STARTTLS", "EHLO", "AUTH", "MAIL");
        }
    }

    @Test
    void authenticatesWithLoginWhenThatIsAllTheServerOffers() throws Exception {
        try (SmtpSinkServer sink = relayHost().authMechanisms("LOGIN", "CRAM-MD5")
                .startTls(server.serverSslContext()).start();
             SmtpClient client = Outbound.client()) {
            await(client.send(hop(sink, TlsPolicy.opportunistic(), CREDENTIALS), message("x\r\n", "bob@example.com")));

            assertThat(sink.awaitMessages(1, Outbound.PATIENCE).getFirst().authenticatedUser()).contains("relay-user");
        }
    }

    @Test
    void neverSendsCredentialsInClearTextByDefault() throws Exception {
        try (SmtpSinkServer sink = relayHost().start(); SmtpClient client = Outbound.client()) {
            TransactionResult.Failed failed = failed(await(client.send(hop(sink, TlsPolicy.opportunistic(), CREDENTIALS),
                    message("x\r\n", "bob@example.com"))));

            assertThat(failed.stage()).isEqualTo(Stage.AUTH);
            assertThat(failed.error()).isInstanceOfSatisfying(DeliveryError.AuthUnavailable.class,
                    error -> assertThat(error.reason()).contains("not encrypted"));
            assertThat(sink.awaitConnectionClosed(1, Outbound.PATIENCE).commands()).containsExactly("EHLO", "QUIT");
        }
    }

    @Test
    void sendsCredentialsInClearTextWhenTheyAllowIt() throws Exception {
        try (SmtpSinkServer sink = relayHost().start(); SmtpClient client = Outbound.client()) {
            Credentials cleartext = new Credentials("relay-user", "s3cret pass", true);

            await(client.send(hop(sink, TlsPolicy.none(), cleartext), message("x\r\n", "bob@example.com")));

            var received = sink.awaitMessages(1, Outbound.PATIENCE).getFirst();
            assertThat(received.authenticatedUser()).contains("relay-user");
            assertThat(received.tls()).isEmpty();
        }
    }

    @Test
    void reportsRefusedCredentials() throws Exception {
        try (SmtpSinkServer sink = relayHost().startTls(server.serverSslContext()).start();
             SmtpClient client = Outbound.client()) {
            Credentials wrong = new Credentials("relay-user", "wrong");

            TransactionResult.Failed failed = failed(await(client.send(hop(sink, TlsPolicy.opportunistic(), wrong),
                    message("x\r\n", "bob@example.com"))));

            assertThat(failed.stage()).isEqualTo(Stage.AUTH);
            assertThat(failed.error()).isEqualTo(new DeliveryError.Reply(
                    SmtpReply.of(535, "5.7.8 Authentication credentials invalid")));
            assertThat(sink.messages()).isEmpty();
        }
    }

    @Test
    void reportsAServerWithoutPlainOrLogin() throws Exception {
        try (SmtpSinkServer sink = relayHost().authMechanisms("CRAM-MD5").startTls(server.serverSslContext()).start();
             SmtpClient client = Outbound.client()) {
            TransactionResult.Failed failed = failed(await(client.send(hop(sink, TlsPolicy.opportunistic(), CREDENTIALS),
                    message("x\r\n", "bob@example.com"))));

            assertThat(failed.error()).isInstanceOfSatisfying(DeliveryError.AuthUnavailable.class,
                    error -> assertThat(error.reason()).contains("CRAM-MD5"));
        }
    }

    @Test
    void credentialsNeverShowTheirPassword() {
        assertThat(CREDENTIALS.toString()).contains("relay-user").doesNotContain("s3cret");
        assertThat(new Hop("smarthost.example.net", new java.net.InetSocketAddress("127.0.0.1", 25),
                TlsPolicy.none(), Optional.of(CREDENTIALS)).toString()).doesNotContain("s3cret");
    }
}
