package dev.mta.delivery.smtpclient;

import static dev.mta.delivery.smtpclient.Outbound.await;
import static dev.mta.delivery.smtpclient.Outbound.failed;
import static dev.mta.delivery.smtpclient.Outbound.hop;
import static dev.mta.delivery.smtpclient.Outbound.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.testsupport.smtp.ReplyPoint;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import dev.mta.testsupport.tls.TestCertificates;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 5321 4.5.3.2: a timeout per stage, each reported with its stage. */
class TimeoutTest {
    private static final Duration SHORT = Duration.ofMillis(300);
    private static final Duration LONG = Duration.ofSeconds(10);

    /** Every stage patient except one. */
    private static SmtpClient clientImpatientAt(Stage stage) {
        return new SmtpClient(Outbound.settings().withTimeouts(SmtpTimeouts.uniform(LONG).with(stage, SHORT)));
    }

    @ParameterizedTest
    @CsvSource({"GREETING, GREETING", "EHLO, EHLO", "MAIL, MAIL", "RCPT, RCPT", "DATA, DATA",
            "END_OF_DATA, END_OF_DATA"})
    void givesUpOnALateReplyAndNamesTheStage(ReplyPoint point, Stage stage) throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = clientImpatientAt(stage)) {
            sink.delay(point, LONG);

            TransactionResult.Failed failed = failed(await(client.send(hop(sink), message("x\r\n", "bob@example.com"))));

            assertThat(failed.stage()).isEqualTo(stage);
            assertThat(failed.error()).isEqualTo(new DeliveryError.Timeout(stage));
            // A late reply to the final dot is the one ambiguous case: the server already has the
            // message, the client cannot know it, and the caller defers (a possible duplicate).
            assertThat(sink.messages()).hasSize(point == ReplyPoint.END_OF_DATA ? 1 : 0);
            assertThat(client.openConnections(hop(sink))).isZero();
        }
    }

    @Test
    void givesUpOnALateStartTlsReply() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder()
                .startTls(TestCertificates.ec().selfSignedLeaf(Outbound.MX_HOST).serverSslContext()).start();
             SmtpClient client = clientImpatientAt(Stage.STARTTLS)) {
            sink.delay(ReplyPoint.STARTTLS, LONG);

            TransactionResult.Failed failed = failed(await(client.send(hop(sink, TlsPolicy.opportunistic()),
                    message("x\r\n", "bob@example.com"))));

            assertThat(failed.error()).isEqualTo(new DeliveryError.Timeout(Stage.STARTTLS));
        }
    }

    @Test
    void givesUpOnAHandshakeThatNeverFinishes() throws Exception {
        // Answers 220 to STARTTLS, then reads the ClientHello and says nothing more.
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             SmtpClient client = clientImpatientAt(Stage.STARTTLS)) {
            Thread server = Thread.ofVirtual().start(() -> {
                try (Socket socket = listener.accept()) {
                    var out = socket.getOutputStream();
                    InputStream in = socket.getInputStream();
                    out.write("220 mx ESMTP\r\n".getBytes());
                    readLine(in);
                    out.write("250-mx\r\n250 STARTTLS\r\n".getBytes());
                    readLine(in);
                    out.write("220 Go ahead\r\n".getBytes());
                    in.readAllBytes();
                } catch (Exception e) {
                    // the client hung up
                }
            });
            Hop hop = new Hop(Outbound.MX_HOST, new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort()),
                    new StartTlsTest.MandatoryPolicy(Optional.of(Outbound.MX_HOST), (chain, session) -> PeerVerdict.accept()));

            TransactionResult.Failed failed = failed(await(client.send(hop, message("x\r\n", "bob@example.com"))));

            assertThat(failed.stage()).isEqualTo(Stage.STARTTLS);
            assertThat(failed.error()).isInstanceOfSatisfying(DeliveryError.TlsFailed.class,
                    error -> assertThat(error.reason()).contains("not finished"));
            server.join(LONG);
        }
    }

    @Test
    void givesUpWhenTheServerStopsReadingTheContent() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().maxMessageSize(1L << 40).discardData().start();
             SmtpClient client = clientImpatientAt(Stage.BODY)) {
            sink.stallDuringData(0);
            // Far more than the socket buffers hold, produced on the fly.
            long size = 256L * 1024 * 1024;
            OutboundMessage huge = new OutboundMessage("alice@example.org", List.of(new OutboundRecipient("bob@example.com")),
                    size, false, false, Optional.empty(), Optional.empty(), () -> new GeneratedContent(size));

            TransactionResult.Failed failed = failed(await(client.send(hop(sink), huge)));

            assertThat(failed.stage()).isEqualTo(Stage.BODY);
            assertThat(failed.error()).isEqualTo(new DeliveryError.Timeout(Stage.BODY));
        }
    }

    @Test
    void aSlowButSteadyTransferIsNotADataBlockTimeout() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = clientImpatientAt(Stage.BODY)) {
            // The content arrives in pieces, each within the data block timeout, the whole taking longer.
            long size = 6 * 1024;
            OutboundMessage slow = new OutboundMessage("alice@example.org", List.of(new OutboundRecipient("bob@example.com")),
                    size, false, false, Optional.empty(), Optional.empty(),
                    () -> new SlowContent(new GeneratedContent(size), SHORT.dividedBy(3)));

            TransactionResult result = await(client.send(hop(sink), slow));

            assertThat(Outbound.completed(result).recipients()).allMatch(RecipientResult::delivered);
        }
    }

    @Test
    void givesUpOnAConnectionThatIsNeverAccepted() throws Exception {
        // A listener with a full backlog: the kernel drops further SYNs, so connect() hangs.
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             SmtpClient client = clientImpatientAt(Stage.CONNECT)) {
            InetSocketAddress address = new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
            List<Socket> fillers = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket filler = new Socket();
                    try {
                        filler.connect(address, 200);
                        fillers.add(filler);
                    } catch (java.io.IOException e) {
                        filler.close();
                        break;
                    }
                }
                Hop hop = new Hop(Outbound.MX_HOST, address, TlsPolicy.none());

                TransactionResult.Failed failed = failed(await(client.send(hop, message("x\r\n", "bob@example.com"))));

                assertThat(failed.stage()).isEqualTo(Stage.CONNECT);
                assertThat(failed.error()).isEqualTo(new DeliveryError.Timeout(Stage.CONNECT));
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    private static void readLine(InputStream in) throws java.io.IOException {
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            // skip
        }
    }
}
