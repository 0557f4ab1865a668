package dev.mta.testsupport.smtp;

import static dev.mta.testsupport.smtp.ScriptedServer.readBytes;
import static dev.mta.testsupport.smtp.ScriptedServer.readLine;
import static dev.mta.testsupport.smtp.ScriptedServer.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.TestCertificates;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

class SmtpTestClientTest {
    private static final String LOOPBACK = "127.0.0.1";

    @Test
    void readReplyReturnsTheCodeAndTextOfASingleLine() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(s -> write(s, "220 mx.example.com ESMTP\r\n"));
             SmtpTestClient client = SmtpTestClient.connect(LOOPBACK, server.port())) {
            SmtpReply reply = client.readReply();

            assertThat(reply.code()).isEqualTo(220);
            assertThat(reply.lines()).containsExactly("mx.example.com ESMTP");
            assertThat(reply.raw()).isEqualTo("220 mx.example.com ESMTP\r\n");
        }
    }

    @Test
    void readReplyFollowsContinuationLinesToTheLast() throws Exception {
        String ehlo = "250-mx.example.com\r\n250-PIPELINING\r\n250 SIZE 1000\r\n";
        try (ScriptedServer server = ScriptedServer.start(s -> write(s, ehlo));
             SmtpTestClient client = SmtpTestClient.connect(LOOPBACK, server.port())) {
            SmtpReply reply = client.readReply();

            assertThat(reply.lines()).containsExactly("mx.example.com", "PIPELINING", "SIZE 1000");
            assertThat(reply.raw()).isEqualTo(ehlo);
        }
    }

    @Test
    void replyOfACodeAloneHasEmptyText() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(s -> write(s, "250\r\n"));
             SmtpTestClient client = SmtpTestClient.connect(LOOPBACK, server.port())) {
            assertThat(client.readReply().lines()).containsExactly("");
        }
    }

    @Test
    void ehloReplyListsTheAdvertisedKeywordsAndTheirParameters() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(s -> {
            readLine(s);
            write(s, "250-mx.example.com greets client\r\n250-pipelining\r\n250-SIZE 1000\r\n250 STARTTLS\r\n");
        });
             SmtpTestClient client = SmtpTestClient.connect(LOOPBACK, server.port())) {
            SmtpReply reply = client.ehlo("client.example.org");

            assertThat(reply.extensionKeywords()).containsExactly("PIPELINING", "SIZE", "STARTTLS");
            assertThat(reply.extensionParameters("size")).contains(List.of("1000"));
            assertThat(reply.extensionParameters("STARTTLS")).contains(List.of());
            assertThat(reply.extensionParameters("CHUNKING")).isEmpty();
        }
    }

    @Test
    void enhancedStatusIsReadFromTheFirstLine() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(s -> write(s, "550 5.7.1 Relaying denied\r\n"));
             SmtpTestClient client = SmtpTestClient.connect(LOOPBACK, server.port())) {
            SmtpReply reply = client.readReply();

            assertThat(reply.enhancedStatus()).contains("5.7.1");
            assertThat(reply.isPermanentFailure()).isTrue();
        }
    }

    @Test
    void readReplyRejectsACodeThatChangesInsideAReply() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(s -> write(s, "250-first\r\n251 second\r\n"));
             SmtpTestClient client = SmtpTestClient.connect(LOOPBACK, server.port())) {
            assertThatThrownBy(client::readReply)
                    .isInstanceOf(SmtpProtocolException.class)
                    .hasMessageContaining("from 250 to 251");
        }
    }

    @Test
    void readReplyRejectsALineEndingInABareLineFeed() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(s -> write(s, "220 hello\n"));
             SmtpTestClient client = SmtpTestClient.connect(LOOPBACK, server.port())) {
            assertThatThrownBy(client::readReply)
                    .isInstanceOf(SmtpProtocolException.class)
                    .hasMessageContaining("not terminated by CRLF");
        }
    }

    @Test
    void readReplyRejectsALineWithoutAReplyCode() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(s -> write(s, "hello\r\n"));
             SmtpTestClient client = SmtpTestClient.connect(LOOPBACK, server.port())) {
            assertThatThrownBy(client::readReply).isInstanceOf(SmtpProtocolException.class);
        }
    }

    @Test
    void readReplyFailsWhenTheServerClosesInstead() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(s -> s.close());
             SmtpTestClient client = SmtpTestClient.connect(LOOPBACK, server.port())) {
            assertThatThrownBy(client::readReply)
                    .isInstanceOf(SmtpProtocolException.class)
                    .hasMessageContaining("closed by the server");
        }
    }

    @Test
    void readReplyTimesOutWhenTheServerIsSilent() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(s -> readLine(s));
             SmtpTestClient client = SmtpTestClient.connect(LOOPBACK, server.port(), Duration.ofMillis(200))) {
            assertThatThrownBy(client::readReply).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void sendAppendsCrlf() throws Exception {
        AtomicReference<String> received = new AtomicReference<>();
        try (ScriptedServer server = ScriptedServer.start(s -> received.set(readLine(s)));
             SmtpTestClient client = SmtpTestClient.connect(LOOPBACK, server.port())) {
            client.send("NOOP");
            server.awaitScript();
        }
        assertThat(received.get()).isEqualTo("NOOP\r\n");
    }

    @Test
    void sendRefusesLineBreaksInsideTheLine() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(s -> { });
             SmtpTestClient client = SmtpTestClient.connect(LOOPBACK, server.port())) {
            assertThatThrownBy(() -> client.send("NOOP\r\nQUIT")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void sendRawSendsBareLineFeedsAndCarriageReturnsUnchanged() throws Exception {
        byte[] smuggling = "x\n.\r\nMAIL FROM:<a@b>\r\r\n".getBytes(StandardCharsets.US_ASCII);
        AtomicReference<String> received = new AtomicReference<>();
        try (ScriptedServer server = ScriptedServer.start(s -> received.set(readBytes(s, smuggling.length)));
             SmtpTestClient client = SmtpTestClient.connect(LOOPBACK, server.port())) {
            client.sendRaw(smuggling);
            server.awaitScript();
        }
        assertThat(received.get()).isEqualTo("x\n.\r\nMAIL FROM:<a@b>\r\r\n");
    }

    @Test
    void sendDataDotStuffsEndsEveryLineInCrlfAndTerminates() throws Exception {
        String expected = "Subject: test\r\n\r\n..starts with a dot\r\nlast line\r\n.\r\n";
        AtomicReference<String> received = new AtomicReference<>();
        try (ScriptedServer server = ScriptedServer.start(s -> {
            received.set(readBytes(s, expected.length()));
            write(s, "250 2.0.0 queued\r\n");
        });
             SmtpTestClient client = SmtpTestClient.connect(LOOPBACK, server.port())) {
            SmtpReply reply = client.sendData("Subject: test\n\r\n.starts with a dot\nlast line");

            assertThat(reply.code()).isEqualTo(250);
        }
        assertThat(received.get()).isEqualTo(expected);
    }

    @Test
    void sendDataDoesNotAddAnEmptyLineAfterAFinalLineEnding() throws Exception {
        String expected = "body\r\n.\r\n";
        AtomicReference<String> received = new AtomicReference<>();
        try (ScriptedServer server = ScriptedServer.start(s -> {
            received.set(readBytes(s, expected.length()));
            write(s, "250 ok\r\n");
        });
             SmtpTestClient client = SmtpTestClient.connect(LOOPBACK, server.port())) {
            client.sendData("body\r\n");
        }
        assertThat(received.get()).isEqualTo(expected);
    }

    @Test
    void dataSendsTheDataCommandAndTheBodyAfter354() throws Exception {
        AtomicReference<String> received = new AtomicReference<>();
        try (ScriptedServer server = ScriptedServer.start(s -> {
            String command = readLine(s);
            write(s, "354 go ahead\r\n");
            received.set(command + readBytes(s, "hi\r\n.\r\n".length()));
            write(s, "250 ok\r\n");
        });
             SmtpTestClient client = SmtpTestClient.connect(LOOPBACK, server.port())) {
            assertThat(client.data("hi").code()).isEqualTo(250);
        }
        assertThat(received.get()).isEqualTo("DATA\r\nhi\r\n.\r\n");
    }

    @Test
    void dataStopsWhenTheServerRefusesTheDataCommand() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(s -> {
            readLine(s);
            write(s, "554 5.5.1 no valid recipients\r\n");
        });
             SmtpTestClient client = SmtpTestClient.connect(LOOPBACK, server.port())) {
            assertThatThrownBy(() -> client.data("hi"))
                    .isInstanceOf(UnexpectedReplyException.class)
                    .satisfies(e -> assertThat(((UnexpectedReplyException) e).reply().code()).isEqualTo(554));
        }
    }

    @Test
    void isClosedByServerSeesTheServerClose() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(s -> {
            readLine(s);
            write(s, "221 bye\r\n");
        });
             SmtpTestClient client = SmtpTestClient.connect(LOOPBACK, server.port())) {
            assertThat(client.command("QUIT").code()).isEqualTo(221);
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void isClosedByServerIsFalseWhileTheConnectionStaysOpenAndKeepsLateBytes() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(s -> {
            readLine(s);
            write(s, "250 late\r\n");
            readLine(s);
        });
             SmtpTestClient client = SmtpTestClient.connect(LOOPBACK, server.port())) {
            assertThat(client.isClosedByServer(Duration.ofMillis(100))).isFalse();
            client.send("NOOP");
            assertThat(client.isClosedByServer(Duration.ofSeconds(2))).isFalse();
            assertThat(client.readReply().lines()).containsExactly("late");
            client.send("QUIT");
        }
    }

    @Test
    void startTlsUpgradesAfter220AndSendsTheSniName() throws Exception {
        CertifiedKey ca = TestCertificates.ec().ca("Test CA");
        CertifiedKey leaf = TestCertificates.ec().leaf(ca, "mx.example.com");
        AtomicReference<String> sniSeen = new AtomicReference<>();
        try (ScriptedServer server = ScriptedServer.start(s -> {
            assertThat(readLine(s)).isEqualTo("STARTTLS\r\n");
            write(s, "220 2.0.0 go ahead\r\n");
            SSLSocket tls = serverSide(leaf.serverSslContext(), s);
            sniSeen.set(((SNIHostName) ((ExtendedSSLSession) tls.getSession())
                    .getRequestedServerNames().getFirst()).getAsciiName());
            assertThat(readLine(tls)).isEqualTo("EHLO client.example.org\r\n");
            write(tls, "250 mx.example.com\r\n");
        });
             SmtpTestClient client = SmtpTestClient.connect(LOOPBACK, server.port())) {
            SSLSession session = client.startTls(ca.trustingSslContext(), "mx.example.com");

            assertThat(session.getProtocol()).isEqualTo("TLSv1.3");
            assertThat(client.tlsSession()).contains(session);
            assertThat(client.ehlo("client.example.org").code()).isEqualTo(250);
            server.awaitScript();
        }
        assertThat(sniSeen.get()).isEqualTo("mx.example.com");
    }

    @Test
    void startTlsFailsWhenTheServerDoesNotAnswer220() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(s -> {
            readLine(s);
            write(s, "454 4.7.0 TLS not available\r\n");
        });
             SmtpTestClient client = SmtpTestClient.connect(LOOPBACK, server.port())) {
            assertThatThrownBy(() -> client.startTls(SSLContext.getDefault(), null))
                    .isInstanceOf(UnexpectedReplyException.class)
                    .hasMessageContaining("454 4.7.0");
            assertThat(client.tlsSession()).isEmpty();
        }
    }

    @Test
    void upgradeToTlsRefusesWhenClearTextFollowedThe220() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(s -> {
            readLine(s);
            write(s, "220 go ahead\r\n250 injected\r\n");
        });
             SmtpTestClient client = SmtpTestClient.connect(LOOPBACK, server.port())) {
            client.send("STARTTLS");
            assertThat(client.readReply().code()).isEqualTo(220);

            assertThatThrownBy(() -> client.upgradeToTls(SSLContext.getDefault(), null))
                    .isInstanceOf(SmtpProtocolException.class)
                    .hasMessageContaining("clear-text bytes");
        }
    }

    @Test
    void connectImplicitTlsHandshakesBeforeTheGreeting() throws Exception {
        CertifiedKey leaf = TestCertificates.ec().selfSignedLeaf("smtps.example.com");
        SSLContext serverContext = leaf.serverSslContext();
        try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = listener.accept()) {
                    write(s, "220 smtps.example.com ESMTP\r\n");
                    readLine(s);
                } catch (Exception e) {
                    // The client's assertions report what went wrong.
                }
            });
            try (SmtpTestClient client = SmtpTestClient.connectImplicitTls(LOOPBACK, listener.getLocalPort(),
                    leaf.trustingSslContext(), "smtps.example.com")) {
                assertThat(client.tlsSession()).isPresent();
                assertThat(client.readReply().code()).isEqualTo(220);
                client.send("QUIT");
            }
        }
    }

    private static SSLSocket serverSide(SSLContext context, Socket plain) throws Exception {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
        tls.setUseClientMode(false);
        tls.startHandshake();
        return tls;
    }
}
