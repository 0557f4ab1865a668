package dev.mta.delivery.smtpclient;

import static dev.mta.delivery.smtpclient.Outbound.await;
import static dev.mta.delivery.smtpclient.Outbound.completed;
import static dev.mta.delivery.smtpclient.Outbound.failed;
import static dev.mta.delivery.smtpclient.Outbound.hop;
import static dev.mta.delivery.smtpclient.Outbound.message;
import static dev.mta.delivery.smtpclient.Outbound.replies;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.testsupport.smtp.ConnectionLog;
import dev.mta.testsupport.smtp.ReceivedMessage;
import dev.mta.testsupport.smtp.ReplyPoint;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** RFC 5321 3.3 mail transactions against a real receiver on loopback: who gets which reply. */
class DeliveryTest {

    @Test
    void deliversTheEnvelopeAndTheContentAsSent() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().hostName("mx.example.com").start();
             SmtpClient client = Outbound.client()) {
            TransactionResult result = await(client.send(hop(sink),
                    message("Subject: hi\r\n\r\n.leading dot\r\nlast line\r\n", "bob@example.com", "carol@example.com")));

            assertThat(replies(result)).containsExactly("bob@example.com 250 END_OF_DATA", "carol@example.com 250 END_OF_DATA");
            assertThat(completed(result).recipients()).allMatch(RecipientResult::delivered);
            ReceivedMessage received = sink.awaitMessages(1, Outbound.PATIENCE).getFirst();
            assertThat(received.heloName()).isEqualTo(Outbound.HELO_NAME);
            assertThat(received.mailFrom()).isEqualTo("alice@example.org");
            assertThat(received.recipients()).containsExactly("bob@example.com", "carol@example.com");
            assertThat(received.dataAsString()).isEqualTo("Subject: hi\r\n\r\n.leading dot\r\nlast line\r\n");
        }
    }

    @Test
    void describesTheSession() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().hostName("mx.example.com").start();
             SmtpClient client = Outbound.client()) {
            SessionInfo session = completed(await(client.send(hop(sink), message("x\r\n", "bob@example.com")))).session();

            assertThat(session.mxHost()).isEqualTo(Outbound.MX_HOST);
            assertThat(session.address()).isEqualTo(sink.address());
            assertThat(session.greeting()).isEqualTo("220 mx.example.com ESMTP sink");
            assertThat(session.tlsProtocol()).isEmpty();
            assertThat(session.tlsCipher()).isEmpty();
            assertThat(session.encrypted()).isFalse();
            assertThat(session.serverOffersDsn()).isTrue();
        }
    }

    @Test
    void sendsTheNullSenderAsEmptyAngleBrackets() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            await(client.send(hop(sink), Outbound.messageFrom("", "bounce\r\n", "bob@example.com")));

            assertThat(sink.awaitMessages(1, Outbound.PATIENCE).getFirst().mailFrom()).isEmpty();
        }
    }

    @Test
    void givesEachRecipientItsOwnReply() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            sink.replyToRecipient("later@example.com", 450, "4.2.1 Mailbox busy");
            sink.replyToRecipient("nobody@example.com", 550, "5.1.1 No such user");

            TransactionResult result = await(client.send(hop(sink),
                    message("x\r\n", "bob@example.com", "later@example.com", "nobody@example.com")));

            assertThat(replies(result)).containsExactly("bob@example.com 250 END_OF_DATA",
                    "later@example.com 450 RCPT", "nobody@example.com 550 RCPT");
            RecipientResult refused = completed(result).recipients().get(2);
            assertThat(refused.reply().enhancedStatus()).contains("5.1.1");
            assertThat(refused.delivered()).isFalse();
            assertThat(sink.awaitMessages(1, Outbound.PATIENCE).getFirst().recipients()).containsExactly("bob@example.com");
        }
    }

    @Test
    void sendsNoContentWhenEveryRecipientIsRefused() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            sink.replyToRecipient("a@example.com", 550, "5.1.1 No such user");
            sink.replyToRecipient("b@example.com", 451, "4.3.0 Try later");

            TransactionResult result = await(client.send(hop(sink), message("x\r\n", "a@example.com", "b@example.com")));

            assertThat(replies(result)).containsExactly("a@example.com 550 RCPT", "b@example.com 451 RCPT");
            client.close();
            ConnectionLog connection = sink.awaitConnectionClosed(1, Outbound.PATIENCE);
            // Pipelined DATA got 554 from the server; RSET ends the open transaction.
            assertThat(connection.commands()).containsSubsequence("MAIL", "RCPT", "RCPT", "DATA", "RSET", "QUIT");
            assertThat(sink.messages()).isEmpty();
        }
    }

    @Test
    void reportsARefusedSenderForTheWholeMessage() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            sink.replyToMail(553, "5.7.1 Sender refused");

            TransactionResult.Failed failed = failed(await(client.send(hop(sink), message("x\r\n", "bob@example.com"))));

            assertThat(failed.stage()).isEqualTo(Stage.MAIL);
            assertThat(failed.error()).isInstanceOfSatisfying(DeliveryError.Reply.class,
                    reply -> assertThat(reply.reply().enhancedStatus()).contains("5.7.1"));
            assertThat(sink.messages()).isEmpty();
        }
    }

    @Test
    void reportsARefusedDataCommand() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            sink.replyToDataCommand(451, "4.3.0 Not now");

            TransactionResult.Failed failed = failed(await(client.send(hop(sink), message("x\r\n", "bob@example.com"))));

            assertThat(failed.stage()).isEqualTo(Stage.DATA);
            assertThat(failed.error()).isEqualTo(new DeliveryError.Reply(SmtpReply.of(451, "4.3.0 Not now")));
        }
    }

    @Test
    void givesTheReplyToTheEndOfDataToEveryAcceptedRecipient() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            sink.replyToData(554, "5.7.1 Message rejected as spam");
            sink.replyToRecipient("nobody@example.com", 550, "5.1.1 No such user");

            TransactionResult result = await(client.send(hop(sink),
                    message("x\r\n", "bob@example.com", "nobody@example.com", "carol@example.com")));

            assertThat(replies(result)).containsExactly("bob@example.com 554 END_OF_DATA",
                    "nobody@example.com 550 RCPT", "carol@example.com 554 END_OF_DATA");
            assertThat(completed(result).recipients().getFirst().reply().enhancedStatus()).contains("5.7.1");
        }
    }

    @Test
    void reportsARefusingGreetingAndSaysQuit() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            sink.reply(ReplyPoint.GREETING, 554, "5.7.1 No SMTP service here");

            TransactionResult.Failed failed = failed(await(client.send(hop(sink), message("x\r\n", "bob@example.com"))));

            assertThat(failed.stage()).isEqualTo(Stage.GREETING);
            assertThat(failed.error()).isEqualTo(new DeliveryError.Reply(SmtpReply.of(554, "5.7.1 No SMTP service here")));
            assertThat(failed.session().greeting()).isEqualTo("554 5.7.1 No SMTP service here");
            // RFC 5321 3.1: after a 554 greeting the client says QUIT.
            assertThat(sink.awaitConnectionClosed(1, Outbound.PATIENCE).commands()).containsExactly("QUIT");
        }
    }

    @Test
    void readsAMultiLineGreeting() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            sink.replyRaw(ReplyPoint.GREETING, "220-mx.example.com ESMTP\r\n220-no UCE\r\n220 welcome\r\n");

            SessionInfo session = completed(await(client.send(hop(sink), message("x\r\n", "bob@example.com")))).session();

            assertThat(session.greeting()).isEqualTo("220 mx.example.com ESMTP no UCE welcome");
        }
    }

    @Test
    void fallsBackToHeloWhenTheServerRefusesEhlo() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().heloOnly().start(); SmtpClient client = Outbound.client()) {
            TransactionResult result = await(client.send(hop(sink), message("x\r\n", "bob@example.com")));

            assertThat(replies(result)).containsExactly("bob@example.com 250 END_OF_DATA");
            ReceivedMessage received = sink.awaitMessages(1, Outbound.PATIENCE).getFirst();
            // After HELO there are no extensions, so no parameters at all.
            assertThat(received.mailParameters()).isEmpty();
            assertThat(completed(result).session().serverOffersDsn()).isFalse();
            assertThat(sink.connections().getFirst().commands()).startsWith("EHLO", "HELO", "MAIL", "RCPT", "DATA");
        }
    }

    @Test
    void reportsAServerThatRefusesEhloAndHelo() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().heloOnly().start(); SmtpClient client = Outbound.client()) {
            sink.reply(ReplyPoint.HELO, 550, "5.7.1 Go away");

            TransactionResult.Failed failed = failed(await(client.send(hop(sink), message("x\r\n", "bob@example.com"))));

            assertThat(failed.stage()).isEqualTo(Stage.HELO);
            assertThat(failed.error()).isEqualTo(new DeliveryError.Reply(SmtpReply.of(550, "5.7.1 Go away")));
        }
    }

    @Test
    void reportsATransientEhloRefusalWithoutTryingHelo() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            sink.reply(ReplyPoint.EHLO, 451, "4.3.2 Not now");

            TransactionResult.Failed failed = failed(await(client.send(hop(sink), message("x\r\n", "bob@example.com"))));

            assertThat(failed.stage()).isEqualTo(Stage.EHLO);
            assertThat(sink.awaitConnectionClosed(1, Outbound.PATIENCE).commands()).containsExactly("EHLO", "QUIT");
        }
    }

    @Test
    void reportsAServiceClosingReplyToMailAndClosesTheConnection() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            sink.replyToMail(421, "4.3.2 Shutting down");

            TransactionResult.Failed failed = failed(await(client.send(hop(sink), message("x\r\n", "bob@example.com"))));

            assertThat(failed.stage()).isEqualTo(Stage.MAIL);
            assertThat(failed.error()).isEqualTo(new DeliveryError.Reply(SmtpReply.of(421, "4.3.2 Shutting down")));
            assertThat(client.openConnections(hop(sink))).isZero();
            assertThat(sink.connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void reportsAServiceClosingReplyToARecipient() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            sink.replyToRecipient("bob@example.com", 421, "4.4.5 Too busy");

            TransactionResult.Failed failed = failed(await(client.send(hop(sink), message("x\r\n", "bob@example.com"))));

            assertThat(failed.stage()).isEqualTo(Stage.RCPT);
            assertThat(sink.messages()).isEmpty();
        }
    }

    @Test
    void deliversSeveralMessagesAtOnceOverSeveralConnections() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            sink.delay(ReplyPoint.END_OF_DATA, Duration.ofMillis(200));
            var first = client.send(hop(sink), message("one\r\n", "a@example.com"));
            var second = client.send(hop(sink), message("two\r\n", "b@example.com"));
            var third = client.send(hop(sink), message("three\r\n", "c@example.com"));

            for (var result : java.util.List.of(first, second, third)) {
                assertThat(completed(await(result)).recipients()).allMatch(RecipientResult::delivered);
            }
            assertThat(sink.messages()).extracting(ReceivedMessage::dataAsString)
                    .containsExactlyInAnyOrder("one\r\n", "two\r\n", "three\r\n");
            assertThat(sink.connectionCount()).isEqualTo(3);
        }
    }
}
