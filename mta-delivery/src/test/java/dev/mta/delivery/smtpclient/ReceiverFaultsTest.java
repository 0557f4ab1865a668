package dev.mta.delivery.smtpclient;

import static dev.mta.delivery.smtpclient.Outbound.failed;
import static dev.mta.delivery.smtpclient.Outbound.hop;
import static dev.mta.delivery.smtpclient.Outbound.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.delivery.faults.ProcessResources;
import dev.mta.testsupport.smtp.ReplyPoint;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Receivers that misbehave (issue 9): silent after the TCP handshake, trickling each reply an
 * octet at a time, dropping the connection around DATA. Every fault ends the attempt as a
 * failure the classifier can defer, within the stage's timeout (RFC 5321 4.5.3.2: a deadline for
 * each reply, not a timeout between reads), and leaves nothing behind: no connection counted in
 * use or idle, every connection closed at the receiver, no thread or descriptor more.
 *
 * <p>Each fault runs {@value #ROUNDS} rounds of {@value #PER_ROUND} concurrent sends; the
 * process is measured after the first round and after the last.
 */
class ReceiverFaultsTest {
    private static final Duration TIMEOUT = Duration.ofMillis(400);
    /** How much later than its timeout a failure may be reported (scheduling on 2 busy cores). */
    private static final Duration MARGIN = Duration.ofSeconds(3);
    /**
     * Slow enough that no reply of the sink (14 octets at least) is whole within the timeout and
     * the margin: a client that waited for the whole reply would fail the time check too.
     */
    private static final Duration PER_OCTET = Duration.ofMillis(300);
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    static final int ROUNDS = 3;
    static final int PER_ROUND = 4;
    /** Content large enough to be under way when a receiver drops the connection mid-body. */
    private static final String CONTENT = "Subject: faults\r\n\r\n" + "0123456789 abcdefghij\r\n".repeat(2000);

    private static SmtpClient client() {
        // Sessions are kept for reuse, so a faulty session parked instead of closed would show as idle.
        return new SmtpClient(Outbound.settings()
                .withTimeouts(SmtpTimeouts.uniform(TIMEOUT))
                .withQuitTimeout(TIMEOUT)
                .withReuseIdleTime(Duration.ofSeconds(30))
                .withIoThreads(2));
    }

    /** What every send to the faulty receiver must end with. */
    private record Expected(Set<Stage> stages, Class<? extends DeliveryError> error) {
    }

    @Test
    void aReceiverThatNeverGreetsTimesOutAtTheGreeting() throws Exception {
        runFault(sink -> sink.delay(ReplyPoint.GREETING, Duration.ofHours(1)),
                new Expected(Set.of(Stage.GREETING), DeliveryError.Timeout.class));
    }

    @Test
    void aTrickledGreetingTimesOutThoughEveryReadGetsAnOctet() throws Exception {
        runFault(sink -> sink.trickle(ReplyPoint.GREETING, PER_OCTET),
                new Expected(Set.of(Stage.GREETING), DeliveryError.Timeout.class));
    }

    @Test
    void aTrickledEhloReplyTimesOut() throws Exception {
        runFault(sink -> sink.trickle(ReplyPoint.EHLO, PER_OCTET),
                new Expected(Set.of(Stage.EHLO), DeliveryError.Timeout.class));
    }

    @Test
    void aTrickledMailReplyTimesOut() throws Exception {
        runFault(sink -> sink.trickle(ReplyPoint.MAIL, PER_OCTET),
                new Expected(Set.of(Stage.MAIL), DeliveryError.Timeout.class));
    }

    @Test
    void aTrickledRcptReplyTimesOut() throws Exception {
        runFault(sink -> sink.trickle(ReplyPoint.RCPT, PER_OCTET),
                new Expected(Set.of(Stage.RCPT), DeliveryError.Timeout.class));
    }

    @Test
    void aTrickledGoAheadForDataTimesOut() throws Exception {
        runFault(sink -> sink.trickle(ReplyPoint.DATA, PER_OCTET),
                new Expected(Set.of(Stage.DATA), DeliveryError.Timeout.class));
    }

    @Test
    void aTrickledReplyToTheFinalDotTimesOut() throws Exception {
        runFault(sink -> sink.trickle(ReplyPoint.END_OF_DATA, PER_OCTET),
                new Expected(Set.of(Stage.END_OF_DATA), DeliveryError.Timeout.class));
    }

    @Test
    void aDropRightAfterTheGoAheadForDataLosesTheConnectionInTheContent() throws Exception {
        // The content may all fit in the socket buffers before the close is noticed: then the
        // loss shows while waiting for the reply to the final dot. Either way, after DATA.
        runFault(sink -> sink.dropAfterReplying(ReplyPoint.DATA),
                new Expected(Set.of(Stage.BODY, Stage.END_OF_DATA), DeliveryError.ConnectionLost.class));
    }

    @Test
    void aDropInTheMiddleOfTheContentLosesTheConnection() throws Exception {
        runFault(sink -> sink.dropDuringData(CONTENT.length() / 4),
                new Expected(Set.of(Stage.BODY, Stage.END_OF_DATA), DeliveryError.ConnectionLost.class));
    }

    @Test
    void aDropAfterTheFinalDotLosesTheConnectionBeforeTheReply() throws Exception {
        runFault(sink -> sink.dropInsteadOfReplying(ReplyPoint.END_OF_DATA),
                new Expected(Set.of(Stage.END_OF_DATA), DeliveryError.ConnectionLost.class));
    }

    /**
     * A receiver that takes the message and then trickles its reply to QUIT: the session is over
     * for the client, which closes it after the quit timeout instead of holding it open.
     */
    @Test
    void aTrickledReplyToQuitDoesNotHoldTheConnection() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start();
             SmtpClient client = new SmtpClient(Outbound.settings().withTimeouts(SmtpTimeouts.uniform(TIMEOUT))
                     .withQuitTimeout(TIMEOUT).withReuseIdleTime(Duration.ZERO))) {
            sink.trickle(ReplyPoint.QUIT, PER_OCTET);

            long started = System.nanoTime();
            Outbound.completed(Outbound.await(client.send(hop(sink), message(CONTENT, "bob@example.com"))));
            ConnectionCounts counts = ProcessResources.awaitCondition(client::connectionCounts,
                    ConnectionCounts.NONE::equals, PATIENCE);

            assertThat(counts).isEqualTo(ConnectionCounts.NONE);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT.plus(MARGIN).plus(TIMEOUT));
            assertThat(sink.awaitConnectionClosed(1, PATIENCE).quitReceived()).isTrue();
        }
    }

    private void runFault(Consumer<SmtpSinkServer> fault, Expected expected) throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = client()) {
            fault.accept(sink);
            Hop hop = hop(sink);
            ProcessResources afterFirstRound = null;
            for (int round = 1; round <= ROUNDS; round++) {
                List<CompletableFuture<TransactionResult>> sends = new ArrayList<>();
                long started = System.nanoTime();
                for (int i = 0; i < PER_ROUND; i++) {
                    sends.add(client.send(hop, message(CONTENT, "bob" + i + "@example.com")));
                }
                for (CompletableFuture<TransactionResult> send : sends) {
                    TransactionResult.Failed failure = failed(send.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
                    assertThat(failure.stage()).as("stage of %s", failure).isIn(expected.stages());
                    assertThat(failure.error()).as("error of %s", failure).isInstanceOf(expected.error());
                }
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                assertThat(took).as("round %d ended within the stage timeout", round).isLessThan(TIMEOUT.plus(MARGIN));

                // Leak checks: nothing counted, nothing parked for reuse, every connection closed.
                assertThat(client.connectionCounts()).as("after round %d", round).isEqualTo(ConnectionCounts.NONE);
                assertThat(client.openConnections(hop)).isZero();
                for (int connection = 1; connection <= sink.connectionCount(); connection++) {
                    sink.awaitConnectionClosed(connection, PATIENCE);
                }
                if (round == 1) {
                    afterFirstRound = ProcessResources.awaitNear(ProcessResources.now(), Duration.ZERO);
                }
            }
            assertThat(sink.connectionCount()).as("one connection per send, none reused").isEqualTo(ROUNDS * PER_ROUND);
            ProcessResources afterLastRound = ProcessResources.awaitNear(afterFirstRound, PATIENCE);
            assertThat(afterLastRound.near(afterFirstRound))
                    .as("after %d faults %s, after %d %s", PER_ROUND, afterFirstRound, ROUNDS * PER_ROUND, afterLastRound)
                    .isTrue();
        }
    }
}
