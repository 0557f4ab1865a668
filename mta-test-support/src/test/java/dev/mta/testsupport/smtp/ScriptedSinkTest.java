package dev.mta.testsupport.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.TestCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sink's scripting: replies, delays, misbehaviour, extensions, AUTH, addresses, logs. */
class ScriptedSinkTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static SmtpTestClient connect(SmtpSinkServer sink) throws IOException {
        SmtpTestClient client = SmtpTestClient.connect(sink.host(), sink.port());
        assertThat(client.readReply().code()).isEqualTo(220);
        return client;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void answersMailAndDataWithTheScriptedReplies() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpTestClient client = connect(sink)) {
            client.ehlo("client.example.org");
            sink.replyToMail(451, "4.3.0 Not now");
            assertThat(client.command("MAIL FROM:<a@example.org>").code()).isEqualTo(451);

            sink.resetReplies();
            client.command("MAIL FROM:<a@example.org>");
            client.command("RCPT TO:<b@example.com>");
            sink.replyToDataCommand(554, "5.7.1 No data for you");
            assertThat(client.command("DATA").code()).isEqualTo(554);
        }
    }

    @Test
    void sendsRawRepliesExactly() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start()) {
            sink.replyRaw(ReplyPoint.GREETING, "220-first\r\n220 second\r\n");
            try (SmtpTestClient client = SmtpTestClient.connect(sink.host(), sink.port())) {
                assertThat(client.readReply().lines()).containsExactly("first", "second");
            }
        }
    }

    @Test
    void scriptsOneConnectionOnly() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start()) {
            sink.replyOnConnection(2, ReplyPoint.MAIL, 452, "4.3.1 Full");
            try (SmtpTestClient first = connect(sink); SmtpTestClient second = connect(sink)) {
                first.ehlo("a.example.org");
                second.ehlo("b.example.org");

                assertThat(first.command("MAIL FROM:<a@example.org>").code()).isEqualTo(250);
                assertThat(second.command("MAIL FROM:<a@example.org>").code()).isEqualTo(452);
            }
        }
    }

    @Test
    void closesTheConnectionAfterA421() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpTestClient client = connect(sink)) {
            client.ehlo("client.example.org");
            sink.replyToMail(421, "4.3.2 Going down");

            assertThat(client.command("MAIL FROM:<a@example.org>").code()).isEqualTo(421);
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void delaysAReplyAsScripted() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpTestClient client = connect(sink)) {
            sink.delay(ReplyPoint.EHLO, Duration.ofMillis(300));
            long start = System.nanoTime();

            client.ehlo("client.example.org");

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void dropsTheConnectionDuringDataAfterSoManyOctets() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpTestClient client = connect(sink)) {
            client.ehlo("client.example.org");
            client.command("MAIL FROM:<a@example.org>");
            client.command("RCPT TO:<b@example.com>");
            sink.dropDuringData(20);
            assertThat(client.command("DATA").code()).isEqualTo(354);
            client.sendRaw("0123456789\r\n0123456789\r\n0123456789\r\n".getBytes(StandardCharsets.US_ASCII));

            assertThat(client.isClosedByServer()).isTrue();
            assertThat(sink.messages()).isEmpty();
        }
    }

    @Test
    void tricklesAReplyOneOctetAtATime() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start()) {
            sink.trickle(ReplyPoint.GREETING, Duration.ofMillis(20));
            try (java.net.Socket socket = new java.net.Socket(sink.host(), sink.port())) {
                var in = socket.getInputStream();
                long start = System.nanoTime();
                StringBuilder greeting = new StringBuilder();
                int reads = 0;
                byte[] buffer = new byte[512];
                while (greeting.indexOf("\n") < 0) {
                    int n = in.read(buffer);
                    assertThat(n).isPositive();
                    greeting.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
                    reads++;
                }
                String expected = "220 sink.test ESMTP sink\r\n";
                assertThat(greeting.toString()).isEqualTo(expected);
                assertThat(reads).as("the octets came one by one").isGreaterThan(expected.length() / 2);
                assertThat(Duration.ofNanos(System.nanoTime() - start))
                        .isGreaterThanOrEqualTo(Duration.ofMillis(20L * expected.length()));
            }
        }
    }

    @Test
    void aSilentSinkNoticesWhenTheClientGivesUp() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start()) {
            sink.delay(ReplyPoint.GREETING, Duration.ofHours(1));
            new java.net.Socket(sink.host(), sink.port()).close();

            assertThat(sink.awaitConnectionClosed(1, WAIT).commands()).isEmpty();
        }
    }

    @Test
    void dropsTheConnectionInsteadOfTheGreeting() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start()) {
            sink.dropInsteadOfReplying(ReplyPoint.GREETING);
            try (SmtpTestClient client = SmtpTestClient.connect(sink.host(), sink.port())) {
                assertThat(client.isClosedByServer()).isTrue();
            }
            assertThat(sink.awaitConnectionClosed(1, WAIT).commands()).isEmpty();
        }
    }

    @Test
    void dropsTheConnectionRightAfterTheGoAheadForData() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpTestClient client = connect(sink)) {
            client.ehlo("client.example.org");
            client.command("MAIL FROM:<a@example.org>");
            client.command("RCPT TO:<b@example.com>");
            sink.dropAfterReplying(ReplyPoint.DATA);

            assertThat(client.command("DATA").code()).isEqualTo(354);
            assertThat(client.isClosedByServer()).isTrue();
            assertThat(sink.messages()).isEmpty();
        }
    }

    @Test
    void dropsTheConnectionAfterTheFinalDotWithoutKeepingTheMessage() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpTestClient client = connect(sink)) {
            client.ehlo("client.example.org");
            client.command("MAIL FROM:<a@example.org>");
            client.command("RCPT TO:<b@example.com>");
            sink.dropInsteadOfReplying(ReplyPoint.END_OF_DATA);
            assertThat(client.command("DATA").code()).isEqualTo(354);

            client.sendRaw("Subject: x\r\n\r\nbody\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));

            assertThat(client.isClosedByServer()).isTrue();
            assertThat(sink.awaitConnectionClosed(1, WAIT).messages()).isZero();
            assertThat(sink.messages()).isEmpty();
        }
    }

    @Test
    void resetRepliesEndsTricklesAndDrops() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start()) {
            sink.trickle(ReplyPoint.GREETING, Duration.ofSeconds(10));
            sink.dropInsteadOfReplying(ReplyPoint.EHLO);
            sink.dropAfterReplying(ReplyPoint.MAIL);
            sink.resetReplies();
            try (SmtpTestClient client = connect(sink)) {
                assertThat(client.ehlo("client.example.org").code()).isEqualTo(250);
                assertThat(client.command("MAIL FROM:<a@example.org>").code()).isEqualTo(250);
                assertThat(client.command("NOOP").code()).isEqualTo(250);
            }
        }
    }

    @Test
    void answersEhloWith500WhenHeloOnly() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().heloOnly().start(); SmtpTestClient client = connect(sink)) {
            assertThat(client.ehlo("client.example.org").code()).isEqualTo(500);
            assertThat(client.command("HELO client.example.org").code()).isEqualTo(250);
            // No extensions after HELO, so no parameters.
            assertThat(client.command("MAIL FROM:<a@example.org> SIZE=10").code()).isEqualTo(555);
        }
    }

    @Test
    void leavesOutExtensionsAndRefusesTheirParameters() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder()
                .without(SinkExtension.EIGHT_BIT_MIME, SinkExtension.DSN, SinkExtension.PIPELINING).start();
             SmtpTestClient client = connect(sink)) {
            assertThat(client.ehlo("client.example.org").extensionKeywords())
                    .contains("SIZE", "SMTPUTF8").doesNotContain("8BITMIME", "DSN", "PIPELINING");
            assertThat(client.command("MAIL FROM:<a@example.org> BODY=8BITMIME").code()).isEqualTo(555);
            assertThat(client.command("MAIL FROM:<a@example.org> RET=HDRS").code()).isEqualTo(555);
            client.command("MAIL FROM:<a@example.org>");
            assertThat(client.command("RCPT TO:<b@example.com> NOTIFY=NEVER").code()).isEqualTo(555);
        }
    }

    @Test
    void recordsRecipientParametersAndTheConnection() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpTestClient client = connect(sink)) {
            client.ehlo("client.example.org");
            client.command("MAIL FROM:<a@example.org> RET=FULL ENVID=x+2By");
            client.command("RCPT TO:<b@example.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@example.com");
            client.command("RCPT TO:<c@example.com>");
            client.data("hello");

            ReceivedMessage received = sink.awaitMessages(1, WAIT).getFirst();
            assertThat(received.mailParameters()).containsExactly("RET=FULL", "ENVID=x+2By");
            assertThat(received.recipientParameters()).containsExactly(
                    Map.entry("b@example.com", List.of("NOTIFY=SUCCESS,FAILURE", "ORCPT=rfc822;b@example.com")),
                    Map.entry("c@example.com", List.of()));
            assertThat(received.connection()).isEqualTo(1);
            assertThat(received.dataSize()).isEqualTo(7);
        }
    }

    @Test
    void refusesANonAsciiAddressWithoutSmtpUtf8() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpTestClient client = connect(sink)) {
            client.ehlo("client.example.org");
            assertThat(client.command("MAIL FROM:<j\u00f6ran@example.org>").code()).isEqualTo(553);
            assertThat(client.command("MAIL FROM:<j\u00f6ran@example.org> SMTPUTF8").code()).isEqualTo(250);
        }
    }

    @Test
    void requiresAuthBeforeMailAndAcceptsPlainAndLogin() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().requireAuth("user", "pass").start()) {
            try (SmtpTestClient client = connect(sink)) {
                assertThat(client.ehlo("client.example.org").extensionParameters("AUTH")).contains(List.of("PLAIN", "LOGIN"));
                assertThat(client.command("MAIL FROM:<a@example.org>").code()).isEqualTo(530);
                assertThat(client.command("AUTH PLAIN " + base64("\0user\0wrong")).code()).isEqualTo(535);
                assertThat(client.command("AUTH PLAIN " + base64("\0user\0pass")).code()).isEqualTo(235);
                assertThat(client.command("MAIL FROM:<a@example.org>").code()).isEqualTo(250);
                client.command("RCPT TO:<b@example.com>");
                client.data("hi");
            }
            try (SmtpTestClient client = connect(sink)) {
                client.ehlo("client.example.org");
                assertThat(client.command("AUTH LOGIN").lines()).containsExactly("VXNlcm5hbWU6");
                assertThat(client.command(base64("user")).lines()).containsExactly("UGFzc3dvcmQ6");
                assertThat(client.command(base64("pass")).code()).isEqualTo(235);
            }
            assertThat(sink.awaitMessages(1, WAIT).getFirst().authenticatedUser()).contains("user");
        }
    }

    @Test
    void refusesAMechanismItDoesNotOffer() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().requireAuth("user", "pass").authMechanisms("LOGIN").start();
             SmtpTestClient client = connect(sink)) {
            client.ehlo("client.example.org");

            assertThat(client.command("AUTH PLAIN " + base64("\0user\0pass")).code()).isEqualTo(504);
        }
    }

    @Test
    void spoilsTheHandshakeByClosingAfterTheStartTlsReply() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().startTlsFailing(TlsHandshakeFailure.CLOSE).start();
             SmtpTestClient client = connect(sink)) {
            assertThat(client.ehlo("client.example.org").extensionKeywords()).contains("STARTTLS");
            CertifiedKey any = TestCertificates.ec().selfSignedLeaf("mx.example.com");

            assertThatThrownBy(() -> client.startTls(any.trustingSslContext(), "mx.example.com"))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void spoilsTheHandshakeWithClearTextInsteadOfAServerHello() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().startTlsFailing(TlsHandshakeFailure.GARBAGE).start();
             SmtpTestClient client = connect(sink)) {
            client.ehlo("client.example.org");
            CertifiedKey any = TestCertificates.ec().selfSignedLeaf("mx.example.com");

            assertThatThrownBy(() -> client.startTls(any.trustingSslContext(), "mx.example.com"))
                    .isInstanceOf(javax.net.ssl.SSLException.class);
        }
    }

    @Test
    void groupsCommandsByWhatArrivedTogether() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpTestClient client = connect(sink)) {
            client.ehlo("client.example.org");
            client.sendRaw("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            client.readReply();
            client.readReply();
            client.readReply();
            client.sendData("x");
            client.command("QUIT");

            ConnectionLog log = sink.awaitConnectionClosed(1, WAIT);
            assertThat(log.commandGroups()).containsExactly(List.of("EHLO"), List.of("MAIL", "RCPT", "DATA"), List.of("QUIT"));
            assertThat(log.transactions()).isEqualTo(1);
            assertThat(log.messages()).isEqualTo(1);
            assertThat(log.quitReceived()).isTrue();
        }
    }

    @Test
    void keepsOnlyTheSizeAndDigestWhenDiscardingData() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().discardData().start(); SmtpTestClient client = connect(sink)) {
            client.ehlo("client.example.org");
            client.command("MAIL FROM:<a@example.org>");
            client.command("RCPT TO:<b@example.com>");
            client.data("hello");

            ReceivedMessage received = sink.awaitMessages(1, WAIT).getFirst();
            assertThat(received.data()).isEmpty();
            assertThat(received.dataSize()).isEqualTo(7);
            assertThat(received.dataSha256()).isEqualTo(ReceivedMessage.sha256("hello\r\n".getBytes(StandardCharsets.US_ASCII)));
        }
    }

    @Test
    void listensOnAChosenLoopbackAddressAndSharesThePortWithAnother() throws Exception {
        try (SmtpSinkServer first = SmtpSinkServer.builder().address("127.0.0.2").hostName("mx1.test").start();
             SmtpSinkServer second = SmtpSinkServer.builder().address("127.0.0.3").port(first.port())
                     .hostName("mx2.test").start();
             SmtpTestClient one = SmtpTestClient.connect("127.0.0.2", first.port());
             SmtpTestClient two = SmtpTestClient.connect("127.0.0.3", first.port())) {
            assertThat(first.host()).isEqualTo("127.0.0.2");
            assertThat(one.readReply().lines().getFirst()).startsWith("mx1.test");
            assertThat(two.readReply().lines().getFirst()).startsWith("mx2.test");
        }
    }

    @Test
    void listensOnIpv6Loopback() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().address("::1").start();
             SmtpTestClient client = SmtpTestClient.connect("::1", sink.port())) {
            assertThat(client.readReply().code()).isEqualTo(220);
        }
    }

    @Test
    void dropsEveryConnectionOnRequestAndKeepsListening() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpTestClient client = connect(sink)) {
            sink.dropConnections();

            assertThat(client.isClosedByServer()).isTrue();
            assertThat(sink.awaitConnectionClosed(1, WAIT).quitReceived()).isFalse();
            try (SmtpTestClient again = connect(sink)) {
                assertThat(again.command("NOOP").code()).isEqualTo(250);
            }
        }
    }

    @Test
    void awaitConnectionClosedFailsWhileItIsOpen() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpTestClient client = connect(sink)) {
            assertThatThrownBy(() -> sink.awaitConnectionClosed(1, Duration.ofMillis(50)))
                    .isInstanceOf(AssertionError.class);
        }
    }
}
