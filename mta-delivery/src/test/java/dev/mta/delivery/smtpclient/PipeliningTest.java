package dev.mta.delivery.smtpclient;

import static dev.mta.delivery.smtpclient.Outbound.await;
import static dev.mta.delivery.smtpclient.Outbound.failed;
import static dev.mta.delivery.smtpclient.Outbound.hop;
import static dev.mta.delivery.smtpclient.Outbound.message;
import static dev.mta.delivery.smtpclient.Outbound.replies;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.testsupport.smtp.ConnectionLog;
import dev.mta.testsupport.smtp.ReplyPoint;
import dev.mta.testsupport.smtp.SinkExtension;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 2920: MAIL, RCPT and DATA in one group when the server offers PIPELINING, lock-step when not. */
class PipeliningTest {

    @Test
    void sendsMailEveryRcptAndDataInOneGroupWhenOffered() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            await(client.send(hop(sink), message("x\r\n", "a@example.com", "b@example.com", "c@example.com")));
            client.close();

            ConnectionLog connection = sink.awaitConnectionClosed(1, Outbound.PATIENCE);
            assertThat(connection.commandGroups()).contains(List.of("MAIL", "RCPT", "RCPT", "RCPT", "DATA"));
        }
    }

    @Test
    void waitsForEachReplyWithoutPipelining() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().without(SinkExtension.PIPELINING).start();
             SmtpClient client = Outbound.client()) {
            TransactionResult result = await(client.send(hop(sink), message("x\r\n", "a@example.com", "b@example.com")));
            client.close();

            assertThat(replies(result)).containsExactly("a@example.com 250 END_OF_DATA", "b@example.com 250 END_OF_DATA");
            ConnectionLog connection = sink.awaitConnectionClosed(1, Outbound.PATIENCE);
            assertThat(connection.commandGroups()).allMatch(group -> group.size() == 1);
            assertThat(connection.commands()).containsExactly("EHLO", "MAIL", "RCPT", "RCPT", "DATA", "QUIT");
        }
    }

    @Test
    void sendsNoRecipientsAfterARefusedSenderWithoutPipelining() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().without(SinkExtension.PIPELINING).start();
             SmtpClient client = Outbound.client()) {
            sink.replyToMail(550, "5.7.1 No");

            failed(await(client.send(hop(sink), message("x\r\n", "a@example.com"))));
            client.close();

            assertThat(sink.awaitConnectionClosed(1, Outbound.PATIENCE).commands()).containsExactly("EHLO", "MAIL", "QUIT");
        }
    }

    @Test
    void sendsNoDataCommandWhenEveryRecipientIsRefusedWithoutPipelining() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().without(SinkExtension.PIPELINING).start();
             SmtpClient client = Outbound.client()) {
            sink.replyToRecipient("a@example.com", 550, "5.1.1 No such user");

            assertThat(replies(await(client.send(hop(sink), message("x\r\n", "a@example.com")))))
                    .containsExactly("a@example.com 550 RCPT");
            client.close();

            // RFC 5321 4.1.1.5: RSET ends the transaction MAIL opened.
            assertThat(sink.awaitConnectionClosed(1, Outbound.PATIENCE).commands())
                    .containsExactly("EHLO", "MAIL", "RCPT", "RSET", "QUIT");
        }
    }

    @Test
    void reportsTheRefusedSenderWhenPipelinedRepliesAllFail() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            sink.replyToMail(550, "5.7.1 Sender refused");

            TransactionResult.Failed failed = failed(await(client.send(hop(sink), message("x\r\n", "a@example.com"))));

            assertThat(failed.stage()).isEqualTo(Stage.MAIL);
            assertThat(failed.error()).isEqualTo(new DeliveryError.Reply(SmtpReply.of(550, "5.7.1 Sender refused")));
            assertThat(sink.messages()).isEmpty();
        }
    }

    @Test
    void endsAnUnwantedDataPhaseAtOnceWhenNoRecipientWasAccepted() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            sink.replyToRecipient("a@example.com", 550, "5.1.1 No such user");
            // A server that says 354 although no recipient was accepted (RFC 2920 3.1).
            sink.replyToDataCommand(354, "Go ahead anyway");

            TransactionResult result = await(client.send(hop(sink), message("secret content\r\n", "a@example.com")));

            assertThat(replies(result)).containsExactly("a@example.com 550 RCPT");
            assertThat(sink.messages()).isEmpty();
            // The session stays in step: the next message goes over the same connection.
            sink.resetReplies();
            await(client.send(hop(sink), message("next\r\n", "b@example.com")));
            assertThat(sink.awaitMessages(1, Outbound.PATIENCE).getFirst().dataAsString()).isEqualTo("next\r\n");
            assertThat(sink.connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void readsPipelinedRepliesThatArriveInOnePiece() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            // The whole EHLO reply and the next replies as one write, one line each in order.
            sink.replyRaw(ReplyPoint.EHLO, "250-mx.example.com\r\n250-PIPELINING\r\n250 8BITMIME\r\n");

            TransactionResult result = await(client.send(hop(sink), message("x\r\n", "a@example.com", "b@example.com")));

            assertThat(replies(result)).containsExactly("a@example.com 250 END_OF_DATA", "b@example.com 250 END_OF_DATA");
        }
    }
}
