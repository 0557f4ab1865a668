package dev.mta.delivery.smtpclient;

import static dev.mta.delivery.smtpclient.Outbound.await;
import static dev.mta.delivery.smtpclient.Outbound.failed;
import static dev.mta.delivery.smtpclient.Outbound.hop;
import static dev.mta.delivery.smtpclient.Outbound.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.testsupport.smtp.ReplyPoint;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A connection that cannot be had or breaks on the way: reported with its stage, never as an exception. */
class ConnectionFailureTest {

    @Test
    void reportsARefusedConnection() throws Exception {
        InetSocketAddress closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = new InetSocketAddress(socket.getInetAddress(), socket.getLocalPort());
        }
        try (SmtpClient client = Outbound.client()) {
            TransactionResult.Failed failed = failed(await(client.send(new Hop(Outbound.MX_HOST, closedPort,
                    TlsPolicy.opportunistic()), message("x\r\n", "bob@example.com"))));

            assertThat(failed.stage()).isEqualTo(Stage.CONNECT);
            assertThat(failed.error()).isInstanceOfSatisfying(DeliveryError.ConnectFailed.class,
                    error -> assertThat(error.reason()).containsIgnoringCase("refused"));
            assertThat(failed.session().greeting()).isEmpty();
        }
    }

    @Test
    void reportsAConnectionDroppedDuringTheContent() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().maxMessageSize(1L << 30).start();
             SmtpClient client = Outbound.client()) {
            sink.dropDuringData(100_000);
            long size = 4L * 1024 * 1024;
            OutboundMessage large = new OutboundMessage("alice@example.org", List.of(new OutboundRecipient("bob@example.com")),
                    size, false, false, Optional.empty(), Optional.empty(), () -> new GeneratedContent(size));

            TransactionResult.Failed failed = failed(await(client.send(hop(sink), large)));

            assertThat(failed.stage()).isEqualTo(Stage.BODY);
            assertThat(failed.error()).isEqualTo(new DeliveryError.ConnectionLost(Stage.BODY));
            assertThat(sink.messages()).isEmpty();
            assertThat(client.openConnections(hop(sink))).isZero();
        }
    }

    @Test
    void givesARefusalBeforeTheEndOfTheContentToEveryAcceptedRecipient() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().maxMessageSize(1L << 30).start();
             SmtpClient client = Outbound.client()) {
            sink.replyDuringData(100_000, 552, "5.3.4 Message too big for this mailbox");

            TransactionResult result = await(client.send(hop(sink), large(64L * 1024 * 1024)));

            assertThat(Outbound.replies(result)).containsExactly("bob@example.com 552 END_OF_DATA");
            // The rest of the content was still on its way: that session cannot be reused.
            assertThat(client.openConnections(hop(sink))).isZero();
        }
    }

    @Test
    void takesNoAcceptanceBeforeTheEndOfTheContent() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().maxMessageSize(1L << 30).start();
             SmtpClient client = Outbound.client()) {
            sink.replyDuringData(100_000, 250, "2.0.0 Thanks, that will do");

            TransactionResult.Failed failed = failed(await(client.send(hop(sink), large(64L * 1024 * 1024))));

            assertThat(failed.stage()).isEqualTo(Stage.BODY);
            assertThat(failed.error()).isInstanceOf(DeliveryError.Protocol.class);
        }
    }

    private static OutboundMessage large(long size) {
        return new OutboundMessage("alice@example.org", List.of(new OutboundRecipient("bob@example.com")),
                size, false, false, Optional.empty(), Optional.empty(), () -> new GeneratedContent(size));
    }

    @Test
    void reportsAServerThatClosesAfterTheGreeting() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            sink.reply(ReplyPoint.GREETING, 421, "4.3.2 Too busy, bye");

            TransactionResult.Failed failed = failed(await(client.send(hop(sink), message("x\r\n", "bob@example.com"))));

            assertThat(failed.stage()).isEqualTo(Stage.GREETING);
            assertThat(failed.error()).isEqualTo(new DeliveryError.Reply(SmtpReply.of(421, "4.3.2 Too busy, bye")));
        }
    }

    @Test
    void reportsAConnectionLostWhileWaitingForAReply() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            // The sink closes when it "replies" to RCPT with a partial line and nothing more.
            sink.replyRaw(ReplyPoint.RCPT, "421");

            TransactionResult.Failed failed = failed(await(client.send(hop(sink), message("x\r\n", "bob@example.com"))));

            assertThat(failed.stage()).isEqualTo(Stage.RCPT);
            assertThat(failed.error()).isEqualTo(new DeliveryError.ConnectionLost(Stage.RCPT));
        }
    }

    @Test
    void reportsContentThatCannotBeReadAndLeavesTheMessageUnfinished() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            OutboundMessage broken = new OutboundMessage("alice@example.org", List.of(new OutboundRecipient("bob@example.com")),
                    100, false, false, Optional.empty(), Optional.empty(), () -> new InputStream() {
                        private int served;

                        @Override
                        public int read() throws IOException {
                            if (served++ < 10) {
                                return 'x';
                            }
                            throw new IOException("spool file vanished");
                        }
                    });

            TransactionResult.Failed failed = failed(await(client.send(hop(sink), broken)));

            assertThat(failed.stage()).isEqualTo(Stage.BODY);
            assertThat(failed.error()).isInstanceOfSatisfying(DeliveryError.BodyUnreadable.class,
                    error -> assertThat(error.reason()).contains("spool file vanished"));
            // Closed without the final dot, so the server threw the partial message away.
            sink.awaitConnectionClosed(1, Outbound.PATIENCE);
            assertThat(sink.messages()).isEmpty();
        }
    }

    @Test
    void reportsContentThatCannotBeOpened() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            OutboundMessage missing = new OutboundMessage("alice@example.org", List.of(new OutboundRecipient("bob@example.com")),
                    100, false, false, Optional.empty(), Optional.empty(), () -> {
                        throw new IOException("no such spool file");
                    });

            TransactionResult.Failed failed = failed(await(client.send(hop(sink), missing)));

            assertThat(failed.error()).isEqualTo(new DeliveryError.BodyUnreadable("no such spool file"));
            sink.awaitConnectionClosed(1, Outbound.PATIENCE);
            assertThat(sink.messages()).isEmpty();
        }
    }

    @Test
    void refusesToSendAfterClose() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start()) {
            SmtpClient client = Outbound.client();
            client.close();

            assertThat(client.send(hop(sink), message("x\r\n", "bob@example.com")))
                    .failsWithin(Outbound.PATIENCE)
                    .withThrowableThat().withCauseInstanceOf(IllegalStateException.class);
        }
    }
}
