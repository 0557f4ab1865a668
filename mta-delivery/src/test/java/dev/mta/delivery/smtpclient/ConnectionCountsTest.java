package dev.mta.delivery.smtpclient;

import static dev.mta.delivery.smtpclient.Outbound.await;
import static dev.mta.delivery.smtpclient.Outbound.failed;
import static dev.mta.delivery.smtpclient.Outbound.hop;
import static dev.mta.delivery.smtpclient.Outbound.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.testsupport.smtp.ReplyPoint;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import dev.mta.testsupport.smtp.TlsHandshakeFailure;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * {@link SmtpClient#connectionCounts()}, the "active outbound connections" of the metrics: every
 * open connection, in use or idle, against real loopback receivers; back to zero however the
 * connections end.
 */
class ConnectionCountsTest {
    private static final ConnectionCounts ONE_IDLE = new ConnectionCounts(0, 1);

    private static SmtpClient client(Duration idleTime, int maxMessages) {
        return new SmtpClient(Outbound.settings().withReuseIdleTime(idleTime).withMaxMessagesPerConnection(maxMessages));
    }

    private static SmtpClient reusing() {
        return client(Duration.ofSeconds(30), 10);
    }

    @Test
    void nothingIsOpenBeforeTheFirstMessage() {
        try (SmtpClient client = reusing()) {
            assertThat(client.connectionCounts()).isEqualTo(ConnectionCounts.NONE);
        }
    }

    @Test
    void aSessionCarryingAMessageIsInUseAndThenIdle() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = reusing()) {
            sink.delay(ReplyPoint.END_OF_DATA, Duration.ofSeconds(2));

            CompletableFuture<TransactionResult> sending = client.send(hop(sink), message("one\r\n", "a@example.com"));

            awaitCounts(client, new ConnectionCounts(1, 0));
            await(sending);
            assertThat(client.connectionCounts()).isEqualTo(ONE_IDLE);
            assertThat(client.connectionCounts().open()).isEqualTo(1);
        }
    }

    @Test
    void idleSessionTakenForTheNextMessageIsNotCountedTwice() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = reusing()) {
            await(client.send(hop(sink), message("one\r\n", "a@example.com")));

            await(client.send(hop(sink), message("two\r\n", "b@example.com")));

            assertThat(sink.connectionCount()).isEqualTo(1);
            assertThat(client.connectionCounts()).isEqualTo(ONE_IDLE);
        }
    }

    @Test
    void connectionsToEveryHopAddUp() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpSinkServer other = SmtpSinkServer.start();
             SmtpClient client = reusing()) {
            await(client.send(hop(sink), message("one\r\n", "a@example.com")));
            await(client.send(hop(other), message("two\r\n", "a@example.com")));
            await(client.send(new Hop("mx2.example.com", sink.address(), TlsPolicy.none()), message("three\r\n", "a@example.com")));

            assertThat(client.connectionCounts()).isEqualTo(new ConnectionCounts(0, 3));
        }
    }

    @Test
    void idleSessionWhoseTimeIsOverIsUncounted() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = client(Duration.ofMillis(200), 10)) {
            await(client.send(hop(sink), message("one\r\n", "a@example.com")));

            assertThat(sink.awaitConnectionClosed(1, Outbound.PATIENCE).quitReceived()).isTrue();
            awaitCounts(client, ConnectionCounts.NONE);
        }
    }

    @Test
    void sessionAtItsMessageLimitSaysQuitAndIsUncounted() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = client(Duration.ofSeconds(30), 1)) {
            await(client.send(hop(sink), message("one\r\n", "a@example.com")));

            awaitCounts(client, ConnectionCounts.NONE);
        }
    }

    @Test
    void idleSessionTheServerDropsIsUncounted() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = reusing()) {
            await(client.send(hop(sink), message("one\r\n", "a@example.com")));
            assertThat(client.connectionCounts()).isEqualTo(ONE_IDLE);

            sink.dropConnections();

            awaitCounts(client, ConnectionCounts.NONE);
        }
    }

    @Test
    void connectionTheServerDropsDuringTheContentIsUncounted() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().maxMessageSize(1L << 30).start(); SmtpClient client = reusing()) {
            sink.dropDuringData(100_000);
            long size = 4L * 1024 * 1024;
            OutboundMessage large = new OutboundMessage("alice@example.org", List.of(new OutboundRecipient("bob@example.com")),
                    size, false, false, Optional.empty(), Optional.empty(), () -> new GeneratedContent(size));

            assertThat(failed(await(client.send(hop(sink), large))).stage()).isEqualTo(Stage.BODY);

            awaitCounts(client, ConnectionCounts.NONE);
        }
    }

    @Test
    void refusedConnectionIsNeverCounted() throws Exception {
        InetSocketAddress closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = new InetSocketAddress(socket.getInetAddress(), socket.getLocalPort());
        }
        try (SmtpClient client = reusing()) {
            Hop nobody = new Hop(Outbound.MX_HOST, closedPort, TlsPolicy.opportunistic());

            assertThat(failed(await(client.send(nobody, message("x\r\n", "bob@example.com")))).stage())
                    .isEqualTo(Stage.CONNECT);

            assertThat(client.connectionCounts()).isEqualTo(ConnectionCounts.NONE);
        }
    }

    @Test
    void failedHandshakeUnderMandatoryTlsLeavesNothingOpen() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().startTlsFailing(TlsHandshakeFailure.CLOSE).start();
             SmtpClient client = reusing()) {
            StartTlsTest.MandatoryPolicy mandatory = new StartTlsTest.MandatoryPolicy(Optional.of(Outbound.MX_HOST),
                    (chain, session) -> PeerVerdict.accept());

            assertThat(failed(await(client.send(hop(sink, mandatory), message("x\r\n", "bob@example.com")))).stage())
                    .isEqualTo(Stage.STARTTLS);

            awaitCounts(client, ConnectionCounts.NONE);
        }
    }

    @Test
    void replyThatComesTooLateLeavesNothingOpen() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start();
             SmtpClient client = new SmtpClient(Outbound.settings().withTimeouts(
                     SmtpTimeouts.uniform(Duration.ofSeconds(10)).with(Stage.MAIL, Duration.ofMillis(300))))) {
            sink.delay(ReplyPoint.MAIL, Duration.ofSeconds(10));

            assertThat(failed(await(client.send(hop(sink), message("x\r\n", "bob@example.com")))).error())
                    .isEqualTo(new DeliveryError.Timeout(Stage.MAIL));

            awaitCounts(client, ConnectionCounts.NONE);
        }
    }

    @Test
    void closingTheClientLeavesNothingOpen() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpSinkServer other = SmtpSinkServer.start()) {
            SmtpClient client = reusing();
            await(client.send(hop(sink), message("one\r\n", "a@example.com")));
            await(client.send(hop(other), message("two\r\n", "a@example.com")));

            client.close();

            assertThat(client.connectionCounts()).isEqualTo(ConnectionCounts.NONE);
        }
    }

    /**
     * The client learns of a close on its network thread, a moment after the server (or the
     * caller's future) saw it: wait for the counts, up to the tests' patience.
     */
    private static void awaitCounts(SmtpClient client, ConnectionCounts expected) {
        long deadline = System.nanoTime() + Outbound.PATIENCE.toNanos();
        while (!client.connectionCounts().equals(expected) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        assertThat(client.connectionCounts()).isEqualTo(expected);
    }
}
