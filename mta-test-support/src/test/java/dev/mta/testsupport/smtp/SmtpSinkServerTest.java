package dev.mta.testsupport.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SmtpSinkServerTest {

    @Test
    void recordsTheEnvelopeAndTheDataWithoutDotStuffing() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start();
             SmtpTestClient client = connect(sink)) {
            client.ehlo("client.example.org");
            assertThat(client.command("MAIL FROM:<alice@example.org> SIZE=40 BODY=8BITMIME").code()).isEqualTo(250);
            assertThat(client.command("RCPT TO:<bob@example.com>").code()).isEqualTo(250);
            assertThat(client.command("RCPT TO:<carol@example.com>").code()).isEqualTo(250);
            assertThat(client.data("Subject: hi\r\n\r\n.leading dot\r\n").code()).isEqualTo(250);

            ReceivedMessage message = sink.awaitMessages(1, Duration.ofSeconds(5)).getFirst();
            assertThat(message.heloName()).isEqualTo("client.example.org");
            assertThat(message.mailFrom()).isEqualTo("alice@example.org");
            assertThat(message.mailParameters()).containsExactly("SIZE=40", "BODY=8BITMIME");
            assertThat(message.recipients()).containsExactly("bob@example.com", "carol@example.com");
            assertThat(message.dataAsString()).isEqualTo("Subject: hi\r\n\r\n.leading dot\r\n");
            assertThat(message.tls()).isEmpty();
        }
    }

    @Test
    void recordsTheNullSenderAsAnEmptyReversePath() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start();
             SmtpTestClient client = connect(sink)) {
            client.ehlo("client.example.org");
            client.command("MAIL FROM:<>");
            client.command("RCPT TO:<bob@example.com>");
            client.data("bounce");

            assertThat(sink.awaitMessages(1, Duration.ofSeconds(5)).getFirst().mailFrom()).isEmpty();
        }
    }

    @Test
    void keepsBareLineFeedsAndOnlyEndsDataAtCrlfDotCrlf() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start();
             SmtpTestClient client = connect(sink)) {
            client.ehlo("client.example.org");
            client.command("MAIL FROM:<alice@example.org>");
            client.command("RCPT TO:<bob@example.com>");
            assertThat(client.command("DATA").code()).isEqualTo(354);
            client.sendRaw("one\n.\ntwo\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));

            assertThat(client.readReply().code()).isEqualTo(250);
            assertThat(sink.messages().getFirst().dataAsString()).isEqualTo("one\n\ntwo\r\n");
        }
    }

    @Test
    void ehloAdvertisesExtensionsButNoStartTlsWithoutAContext() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().hostName("mx.sink.test").maxMessageSize(5000).start();
             SmtpTestClient client = connect(sink)) {
            SmtpReply reply = client.ehlo("client.example.org");

            assertThat(reply.lines().getFirst()).startsWith("mx.sink.test");
            assertThat(reply.extensionKeywords())
                    .contains("PIPELINING", "8BITMIME", "SIZE", "ENHANCEDSTATUSCODES")
                    .doesNotContain("STARTTLS");
            assertThat(reply.extensionParameters("SIZE")).contains(List.of("5000"));
            assertThat(client.command("STARTTLS").code()).isEqualTo(502);
        }
    }

    @Test
    void startTlsUpgradesAndRecordsTheSessionWithTheMessage() throws Exception {
        TestCertificates certificates = TestCertificates.ec();
        CertifiedKey ca = certificates.ca("Test CA");
        CertifiedKey leaf = certificates.leaf(ca, "mx.example.com");
        try (SmtpSinkServer sink = SmtpSinkServer.builder().startTls(leaf.serverSslContext()).start();
             SmtpTestClient client = connect(sink)) {
            assertThat(client.ehlo("client.example.org").extensionKeywords()).contains("STARTTLS");
            client.startTls(ca.trustingSslContext(), "mx.example.com");
            assertThat(client.ehlo("client.example.org").extensionKeywords()).doesNotContain("STARTTLS");
            client.command("MAIL FROM:<alice@example.org>");
            client.command("RCPT TO:<bob@example.com>");
            client.data("secret");

            TlsDetails tls = sink.awaitMessages(1, Duration.ofSeconds(5)).getFirst().tls().orElseThrow();
            assertThat(tls.protocol()).isEqualTo("TLSv1.3");
            assertThat(tls.cipherSuite()).startsWith("TLS_");
            assertThat(tls.serverName()).contains("mx.example.com");
            assertThat(client.command("STARTTLS").code()).isEqualTo(503);
        }
    }

    @Test
    void startTlsForgetsTheClearTextGreeting() throws Exception {
        CertifiedKey leaf = TestCertificates.ec().selfSignedLeaf("mx.example.com");
        try (SmtpSinkServer sink = SmtpSinkServer.builder().startTls(leaf.serverSslContext()).start();
             SmtpTestClient client = connect(sink)) {
            client.ehlo("client.example.org");
            client.startTls(leaf.trustingSslContext(), "mx.example.com");

            // RFC 3207 4.2: the client must say EHLO again.
            assertThat(client.command("MAIL FROM:<alice@example.org>").code()).isEqualTo(503);
        }
    }

    @Test
    void dropsCommandsPipelinedInClearTextAfterStartTls() throws Exception {
        CertifiedKey leaf = TestCertificates.ec().selfSignedLeaf("mx.example.com");
        try (SmtpSinkServer sink = SmtpSinkServer.builder().startTls(leaf.serverSslContext()).start();
             SmtpTestClient client = connect(sink)) {
            client.ehlo("client.example.org");
            client.sendRaw("STARTTLS\r\nNOOP\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.readReply().code()).isEqualTo(220);
            client.upgradeToTls(leaf.trustingSslContext(), "mx.example.com");

            // Had the injected NOOP been answered, its 250 would come before this one's 250.
            assertThat(client.command("RSET").lines()).containsExactly("2.0.0 OK");
            assertThat(client.isClosedByServer(Duration.ofMillis(200))).isFalse();
        }
    }

    @Test
    void refusesARecipientItWasToldToRefuse() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start();
             SmtpTestClient client = connect(sink)) {
            sink.replyToRecipient("Nobody@example.com", 550, "5.1.1 No such user");
            client.ehlo("client.example.org");
            client.command("MAIL FROM:<alice@example.org>");

            SmtpReply refused = client.command("RCPT TO:<nobody@example.com>");
            client.command("RCPT TO:<bob@example.com>");
            client.data("hello");

            assertThat(refused.code()).isEqualTo(550);
            assertThat(refused.enhancedStatus()).contains("5.1.1");
            assertThat(sink.awaitMessages(1, Duration.ofSeconds(5)).getFirst().recipients())
                    .containsExactly("bob@example.com");
        }
    }

    @Test
    void aRefusedDataRecordsNothingUntilRepliesAreReset() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start();
             SmtpTestClient client = connect(sink)) {
            sink.replyToData(451, "4.3.0 Try again later");
            client.ehlo("client.example.org");
            client.command("MAIL FROM:<alice@example.org>");
            client.command("RCPT TO:<bob@example.com>");
            assertThat(client.data("first").code()).isEqualTo(451);
            assertThat(sink.messages()).isEmpty();

            sink.resetReplies();
            client.command("MAIL FROM:<alice@example.org>");
            client.command("RCPT TO:<bob@example.com>");
            assertThat(client.data("second").code()).isEqualTo(250);
            assertThat(sink.messages()).extracting(ReceivedMessage::dataAsString).containsExactly("second\r\n");
        }
    }

    @Test
    void refusesCommandsOutOfSequence() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start();
             SmtpTestClient client = connect(sink)) {
            assertThat(client.command("MAIL FROM:<alice@example.org>").code()).isEqualTo(503);
            client.ehlo("client.example.org");
            assertThat(client.command("RCPT TO:<bob@example.com>").code()).isEqualTo(503);
            assertThat(client.command("DATA").code()).isEqualTo(503);
            client.command("MAIL FROM:<alice@example.org>");
            assertThat(client.command("MAIL FROM:<alice@example.org>").code()).isEqualTo(503);
            assertThat(client.command("DATA").code()).isEqualTo(554);
            assertThat(client.command("MAIL FROM alice").code()).isEqualTo(503);
            assertThat(client.command("FROB").code()).isEqualTo(500);
        }
    }

    @Test
    void answersPipelinedCommandsInOrder() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start();
             SmtpTestClient client = connect(sink)) {
            client.ehlo("client.example.org");
            client.sendRaw(("MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.com>\r\n"
                    + "RCPT TO:<carol@example.com>\r\nDATA\r\n").getBytes(StandardCharsets.US_ASCII));

            assertThat(List.of(client.readReply().code(), client.readReply().code(),
                    client.readReply().code(), client.readReply().code())).containsExactly(250, 250, 250, 354);
        }
    }

    @Test
    void refusesMessagesOverTheSizeLimit() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().maxMessageSize(100).start();
             SmtpTestClient client = connect(sink)) {
            client.ehlo("client.example.org");
            assertThat(client.command("MAIL FROM:<alice@example.org> SIZE=101").code()).isEqualTo(552);
            client.command("MAIL FROM:<alice@example.org>");
            client.command("RCPT TO:<bob@example.com>");

            assertThat(client.data("x".repeat(200)).code()).isEqualTo(552);
            assertThat(sink.messages()).isEmpty();
        }
    }

    @Test
    void awaitMessagesFailsWhenTooFewArrive() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start()) {
            assertThatThrownBy(() -> sink.awaitMessages(1, Duration.ofMillis(50)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("received 0");
        }
    }

    @Test
    void awaitMessagesReturnsWhenAnotherThreadDelivers() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start()) {
            CompletableFuture<Void> delivery = CompletableFuture.runAsync(() -> {
                try (SmtpTestClient client = connect(sink)) {
                    client.ehlo("client.example.org");
                    client.command("MAIL FROM:<alice@example.org>");
                    client.command("RCPT TO:<bob@example.com>");
                    client.data("async");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            assertThat(sink.awaitMessages(1, Duration.ofSeconds(5))).hasSize(1);
            delivery.join();
        }
    }

    @Test
    void countsConnectionsAndClosesAfterQuit() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start()) {
            for (int i = 0; i < 2; i++) {
                try (SmtpTestClient client = connect(sink)) {
                    assertThat(client.command("QUIT").code()).isEqualTo(221);
                    assertThat(client.isClosedByServer()).isTrue();
                }
            }
            assertThat(sink.connectionCount()).isEqualTo(2);
        }
    }

    @Test
    void closeDropsOpenConnections() throws Exception {
        SmtpSinkServer sink = SmtpSinkServer.start();
        try (SmtpTestClient client = connect(sink)) {
            sink.close();

            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    /** Connects and consumes the greeting. */
    private static SmtpTestClient connect(SmtpSinkServer sink) throws Exception {
        SmtpTestClient client = SmtpTestClient.connect(sink.host(), sink.port());
        assertThat(client.readReply().code()).isEqualTo(220);
        return client;
    }
}
