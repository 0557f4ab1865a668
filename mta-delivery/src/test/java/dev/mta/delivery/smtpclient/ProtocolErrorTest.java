package dev.mta.delivery.smtpclient;

import static dev.mta.delivery.smtpclient.Outbound.await;
import static dev.mta.delivery.smtpclient.Outbound.failed;
import static dev.mta.delivery.smtpclient.Outbound.hop;
import static dev.mta.delivery.smtpclient.Outbound.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.testsupport.smtp.ReplyPoint;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Garbage from the server ends the session with a protocol error; the connection is closed. */
class ProtocolErrorTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "hello, I am not a reply\r\n",
            "250-first line\r\n251 other code\r\n",
            "2500 four digits\r\n"})
    void reportsAMalformedReplyAndClosesTheConnection(String garbage) throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            sink.replyRaw(ReplyPoint.MAIL, garbage);

            TransactionResult.Failed failed = failed(await(client.send(hop(sink), message("x\r\n", "bob@example.com"))));

            assertThat(failed.stage()).isEqualTo(Stage.MAIL);
            assertThat(failed.error()).isInstanceOf(DeliveryError.Protocol.class);
            sink.awaitConnectionClosed(1, Outbound.PATIENCE);
            assertThat(sink.messages()).isEmpty();
            assertThat(client.openConnections(hop(sink))).isZero();
        }
    }

    @Test
    void reportsAnOverlongReplyLine() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            sink.replyRaw(ReplyPoint.EHLO, "250-" + "x".repeat(3000) + "\r\n250 OK\r\n");

            TransactionResult.Failed failed = failed(await(client.send(hop(sink), message("x\r\n", "bob@example.com"))));

            assertThat(failed.stage()).isEqualTo(Stage.EHLO);
            assertThat(failed.error()).isInstanceOfSatisfying(DeliveryError.Protocol.class,
                    error -> assertThat(error.reason()).contains("2048"));
            sink.awaitConnectionClosed(1, Outbound.PATIENCE);
        }
    }

    @Test
    void reportsAReplyNobodyAskedFor() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            // Two replies to one RSET-free MAIL: the second arrives where no command waits.
            sink.replyRaw(ReplyPoint.END_OF_DATA, "250 2.0.0 queued\r\n250 2.0.0 and again\r\n");

            TransactionResult result = await(client.send(hop(sink), message("x\r\n", "bob@example.com")));

            // The transaction itself completed; the stray reply ends the idle session.
            assertThat(Outbound.completed(result).recipients()).allMatch(RecipientResult::delivered);
            sink.awaitConnectionClosed(1, Outbound.PATIENCE);
        }
    }
}
