package dev.mta.server.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.server.TestRelay;
import dev.mta.testsupport.smtp.SmtpReply;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STARTTLS (RFC 3207), implicit TLS (RFC 8314) and AUTH (RFC 4954, 4616), with a certificate made for the test. */
class TlsAndAuthTest {
    @TempDir
    static java.nio.file.Path dir;

    static TestRelay relay;

    @BeforeAll
    static void start() throws Exception {
        relay = TestRelay.in(dir).option("smtp.relay-networks", "[]").user("bob", "s3cret!").start();
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static SmtpTestClient overTls() throws Exception {
        SmtpTestClient client = relay.connect("submission");
        client.readReply();
        client.ehlo("laptop.test");
        client.startTls(relay.clientTls(), TestRelay.HOSTNAME);
        client.ehlo("laptop.test");
        return client;
    }

    @Test
    void requireTlsIsOfferedOnlyUnderTlsAndKeptWithTheMessage() throws Exception {
        // RFC 8689 4: REQUIRETLS is offered after STARTTLS (or on 465) and refused in clear text.
        try (SmtpTestClient client = relay.connect("relay")) {
            client.readReply();
            assertThat(client.ehlo("client.test").extensionKeywords()).doesNotContain("REQUIRETLS");
            assertThat(client.command("MAIL FROM:<a@example.org> REQUIRETLS").raw()).startsWith("530 5.7.10");
            client.startTls(relay.clientTls(), TestRelay.HOSTNAME);
            assertThat(client.ehlo("client.test").extensionKeywords()).contains("REQUIRETLS");
            client.command("AUTH PLAIN " + b64("\0bob\0s3cret!"));
            assertThat(client.command("MAIL FROM:<a@example.org> REQUIRETLS=yes").code()).isEqualTo(501);
            assertThat(client.command("MAIL FROM:<a@example.org> REQUIRETLS").code()).isEqualTo(250);
            client.command("RCPT TO:<b@example.net>");
            SmtpReply reply = client.data("Subject: must be secret\r\n\r\nsecret\r\n");
            assertThat(relay.detail(TestRelay.queueIdFrom(reply.text())).envelope().requireTls()).isTrue();
        }
        try (SmtpTestClient implicit = relay.connectImplicitTls("submissions")) {
            implicit.readReply();
            assertThat(implicit.ehlo("laptop.test").extensionKeywords()).contains("REQUIRETLS");
        }
    }

    @Test
    void startTlsNegotiatesTls12OrNewerAndIsRecordedInReceived() throws Exception {
        try (SmtpTestClient client = relay.connect("relay")) {
            client.readReply();
            client.ehlo("client.test");
            SSLSession tls = client.startTls(relay.clientTls(), TestRelay.HOSTNAME);
            assertThat(tls.getProtocol()).isIn("TLSv1.3", "TLSv1.2");
            SmtpReply ehlo = client.ehlo("client.test");
            assertThat(ehlo.extensionKeywords()).doesNotContain("STARTTLS");
            client.command("AUTH PLAIN " + b64("\0bob\0s3cret!"));
            client.command("MAIL FROM:<a@example.org>");
            client.command("RCPT TO:<b@example.net>");
            SmtpReply reply = client.data("Subject: tls\r\n\r\nsecret\r\n");
            String body = relay.body(TestRelay.queueIdFrom(reply.text()));
            assertThat(body).contains("with ESMTPSA id").contains("(using " + tls.getProtocol() + " with cipher " + tls.getCipherSuite() + ")");
        }
    }

    @Test
    void clientMustGreetAgainAfterStartTls() throws Exception {
        try (SmtpTestClient client = relay.connect("relay")) {
            client.readReply();
            client.ehlo("client.test");
            client.startTls(relay.clientTls(), TestRelay.HOSTNAME);
            assertThat(client.command("MAIL FROM:<a@example.org>").raw()).startsWith("503 5.5.1");
        }
    }

    @Test
    void plaintextPipelinedBehindStartTlsIsNotExecuted() throws Exception {
        try (SmtpTestClient client = relay.connect("relay")) {
            client.readReply();
            client.ehlo("client.test");
            // An attacker in the middle appends commands to the client's STARTTLS.
            client.sendRaw("STARTTLS\r\nMAIL FROM:<attacker@example.org>\r\nRCPT TO:<victim@example.net>\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.readReply().code()).isEqualTo(220);
            client.upgradeToTls(relay.clientTls(), TestRelay.HOSTNAME);
            client.ehlo("client.test");
            // Had the injected MAIL run, this would be "503 sender already given".
            assertThat(client.command("MAIL FROM:<real@example.org>").code()).isEqualTo(250);
        }
    }

    @Test
    void implicitTlsListenerSpeaksTlsFromTheFirstByte() throws Exception {
        try (SmtpTestClient client = relay.connectImplicitTls("submissions")) {
            assertThat(client.readReply().code()).isEqualTo(220);
            SmtpReply ehlo = client.ehlo("laptop.test");
            assertThat(ehlo.extensionKeywords()).contains("AUTH").doesNotContain("STARTTLS");
            assertThat(client.tlsSession().orElseThrow().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
        }
    }

    @Test
    void tls11IsRefused() throws Exception {
        SSLContext context = relay.clientTls();
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", relay.port("submissions"))) {
            socket.setEnabledProtocols(new String[] {"TLSv1.1"});
            socket.setSoTimeout(5000);
            assertThatThrownBy(socket::startHandshake).isInstanceOf(javax.net.ssl.SSLException.class);
        } catch (IllegalArgumentException jvmHasNoTls11) {
            // A JVM that cannot even offer TLS 1.1 cannot be downgraded to it either.
        }
    }

    @Test
    void authIsRefusedInClearText() throws Exception {
        try (SmtpTestClient client = relay.connect("submission")) {
            client.readReply();
            assertThat(client.ehlo("laptop.test").extensionKeywords()).doesNotContain("AUTH");
            assertThat(client.command("AUTH PLAIN " + b64("\0bob\0s3cret!")).raw()).startsWith("538 5.7.11");
        }
    }

    @Test
    void authPlainWithTheRightPasswordAllowsRelaying() throws Exception {
        try (SmtpTestClient client = overTls()) {
            assertThat(client.command("AUTH PLAIN " + b64("\0bob\0s3cret!")).raw()).startsWith("235 2.7.0");
            client.command("MAIL FROM:<bob@example.org>");
            assertThat(client.command("RCPT TO:<x@example.net>").code()).isEqualTo(250);
            SmtpReply reply = client.data("Subject: authed\r\n\r\nhi\r\n");
            assertThat(reply.code()).isEqualTo(250);
            var detail = relay.detail(TestRelay.queueIdFrom(reply.text()));
            assertThat(detail.envelope().client().authenticatedUser()).contains("bob");
            assertThat(relay.body(detail.id())).contains("with ESMTPSA id");
        }
    }

    @Test
    void authLoginWithChallenges() throws Exception {
        try (SmtpTestClient client = overTls()) {
            SmtpReply user = client.command("AUTH LOGIN");
            assertThat(user.code()).isEqualTo(334);
            assertThat(client.command(b64("bob")).code()).isEqualTo(334);
            assertThat(client.command(b64("s3cret!")).raw()).startsWith("235 2.7.0");
        }
    }

    @Test
    void wrongPasswordGets535AndNoRelaying() throws Exception {
        try (SmtpTestClient client = overTls()) {
            assertThat(client.command("AUTH PLAIN " + b64("\0bob\0wrong")).raw()).startsWith("535 5.7.8");
            assertThat(client.command("AUTH PLAIN " + b64("\0nobody\0s3cret!")).raw()).startsWith("535 5.7.8");
            assertThat(client.command("AUTH PLAIN " + b64("alice\0bob\0s3cret!")).raw()).startsWith("535 5.7.8");
            client.command("MAIL FROM:<bob@example.org>");
            assertThat(client.command("RCPT TO:<x@example.net>").raw()).startsWith("554 5.7.1");
        }
    }

    @Test
    void malformedAuthExchangesGetClearReplies() throws Exception {
        try (SmtpTestClient client = overTls()) {
            assertThat(client.command("AUTH PLAIN !!notbase64!!").raw()).startsWith("501 5.5.2");
            assertThat(client.command("AUTH PLAIN " + b64("no-nuls-here")).raw()).startsWith("501 5.5.2");
            assertThat(client.command("AUTH CRAM-MD5").raw()).startsWith("504 5.5.4");
            assertThat(client.command("AUTH PLAIN").code()).isEqualTo(334);
            assertThat(client.command("*").raw()).startsWith("501 5.0.0");
            assertThat(client.command("AUTH").raw()).startsWith("501 5.5.4");
            assertThat(client.command("NOOP").code()).isEqualTo(250);
        }
    }
}
