package dev.mta.delivery.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.delivery.faults.ProcessResources;
import dev.mta.delivery.smtpclient.ConnectionCounts;
import dev.mta.queue.Diagnosis;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientState;
import dev.mta.queue.RecipientStatus;
import dev.mta.testsupport.smtp.ReplyPoint;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * Issue 9: faults of the DNS and of the receiving server, through the whole delivery side (queue
 * manager, router, SMTP client, H2 queue). Every fault ends as a deferral with a 4.4.x status
 * that names it (RFC 3463: 4.4.1 no answer from the host, 4.4.2 bad connection, 4.4.3 routing
 * server failure), within the configured timeouts: never a bounce, never a delivery some other
 * way (the domain's own address, a lesser host), never a hang. Afterwards nothing is left over:
 * no recipient in flight, no destination slot, no connection, no thread or descriptor more.
 *
 * <p>The domain faulty.example has one MX host, mx.faulty.example, on the harness's first
 * receiver. Each fault meets {@value #MESSAGES} messages (attempted side by side) in each of
 * {@value #ROUNDS} passes, the clock moved past the retry time in between.
 */
class DeliveryFaultsTest {
    private static final Duration SMTP_TIMEOUT = Duration.ofMillis(500);
    private static final Duration DNS_TIMEOUT = Duration.ofMillis(400);
    /** A pass may take its timeouts plus this (a cold H2 and JIT on 2 busy cores). */
    private static final Duration MARGIN = Duration.ofSeconds(4);
    /** A receiver's reply (14 octets at least) trickled at this pace takes longer than the timeout and the margin. */
    private static final Duration PER_OCTET = Duration.ofMillis(350);
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    static final int ROUNDS = 3;
    static final int MESSAGES = 3;
    private static final String DOMAIN = "faulty.example";
    private static final String MX_HOST = "mx.faulty.example";
    /** A domain in the same zone whose host (the harness's third receiver) works. */
    private static final String HEALTHY = "healthy." + DOMAIN;
    /** On the loopback network, where nothing listens: connections to it are refused. */
    private static final String NOBODY = "127.0.3.1";
    /** On the loopback network, where a listener that never accepts lets the connections time out. */
    private static final String UNANSWERING = "127.0.3.2";

    @TempDir
    Path dir;

    private DeliveryHarness relay(String mxAddress) throws Exception {
        return relay(mxAddress, DeliveryHarness.builder().smtpTimeout(SMTP_TIMEOUT).limits(10, MESSAGES));
    }

    private DeliveryHarness relay(String mxAddress, DeliveryHarness.Builder builder) throws Exception {
        return builder
                .dnsTimeout(DNS_TIMEOUT)
                .zones(h -> h.dns.zone(DOMAIN).mx(DOMAIN, 10, MX_HOST)
                        .a(DOMAIN, h.mx2Address) // an implicit MX would be a downgrade: it must never be used
                        .a(MX_HOST, mxAddress == null ? h.mx1Address : mxAddress)
                        .mx(HEALTHY, 10, "mx." + HEALTHY).a("mx." + HEALTHY, h.senderMxAddress))
                .start(dir);
    }

    private DeliveryHarness relay() throws Exception {
        return relay(null);
    }

    // ---- DNS ----

    @Test
    void dnsServerDownDefersWithADnsFailure() throws Exception {
        try (DeliveryHarness relay = relay()) {
            relay.dns.close(); // nothing listens on its port: ICMP port unreachable
            assertEveryAttemptDefers(relay, "4.4.3", "MX lookup of " + DOMAIN + " failed", Duration.ofMillis(0));
        }
    }

    @Test
    void dnsServerRefusingTcpAfterATruncatedAnswerDefersWithADnsFailure() throws Exception {
        try (DeliveryHarness relay = relay()) {
            relay.dns.truncateUdp(DOMAIN, Type.MX);
            relay.dns.refuseTcp();
            assertEveryAttemptDefers(relay, "4.4.3", "MX lookup of " + DOMAIN + " failed", Duration.ZERO);
        }
    }

    @Test
    void slowDnsServerDefersWithADnsFailure() throws Exception {
        try (DeliveryHarness relay = relay()) {
            relay.dns.delay(DOMAIN, Type.MX, DNS_TIMEOUT.multipliedBy(3));
            assertEveryAttemptDefers(relay, "4.4.3", "no answer within", DNS_TIMEOUT);
        }
    }

    @Test
    void garbageFromTheDnsServerDefersWithADnsFailure() throws Exception {
        try (DeliveryHarness relay = relay()) {
            relay.dns.garbage(DOMAIN, Type.MX);
            assertEveryAttemptDefers(relay, "4.4.3", "MX lookup of " + DOMAIN + " failed", DNS_TIMEOUT);
        }
    }

    @Test
    void aStrayNxdomainWithTheWrongIdDefersAndNeverBounces() throws Exception {
        try (DeliveryHarness relay = relay()) {
            relay.dns.wrongId(DOMAIN, Type.MX);
            assertEveryAttemptDefers(relay, "4.4.3", "MX lookup of " + DOMAIN + " failed", DNS_TIMEOUT);
        }
    }

    @Test
    void anAnswerCutShortDefersWithADnsFailure() throws Exception {
        try (DeliveryHarness relay = relay()) {
            relay.dns.cutShort(DOMAIN, Type.MX);
            assertEveryAttemptDefers(relay, "4.4.3", "MX lookup of " + DOMAIN + " failed", DNS_TIMEOUT);
        }
    }

    @Test
    void aMalformedAnswerDefersWithADnsFailure() throws Exception {
        try (DeliveryHarness relay = relay()) {
            relay.dns.malformed(DOMAIN, Type.MX);
            assertEveryAttemptDefers(relay, "4.4.3", "MX lookup of " + DOMAIN + " failed", DNS_TIMEOUT);
        }
    }

    @Test
    void garbageForTheMxHostsAddressDefersWithADnsFailure() throws Exception {
        try (DeliveryHarness relay = relay()) {
            relay.dns.garbage(MX_HOST, Type.A);
            assertEveryAttemptDefers(relay, "4.4.3", "cannot find the address of any mail host", DNS_TIMEOUT);
        }
    }

    @Test
    void aSlowAnswerForTheMxHostsAddressDefersWithADnsFailure() throws Exception {
        try (DeliveryHarness relay = relay()) {
            relay.dns.delay(MX_HOST, Type.A, DNS_TIMEOUT.multipliedBy(3));
            assertEveryAttemptDefers(relay, "4.4.3", "cannot find the address of any mail host", DNS_TIMEOUT);
        }
    }

    // ---- the receiver ----

    @Test
    void aRefusedConnectionDefersWithNoAnswerFromTheHost() throws Exception {
        try (DeliveryHarness relay = relay(NOBODY)) {
            assertEveryAttemptDefers(relay, "4.4.1", "connect to " + MX_HOST, Duration.ZERO);
        }
    }

    /**
     * A host that never answers the TCP handshake (its listen queue is full, so its SYNs go
     * unanswered): "no answer from host" (RFC 3463 X.4.1), like a refused connection, not a bad
     * connection (X.4.2), which needs a connection to have been made.
     */
    @Test
    void aConnectionNobodyAnswersDefersWithNoAnswerFromTheHost() throws Exception {
        try (DeliveryHarness relay = relay(UNANSWERING);
             ServerSocket listener = new ServerSocket(relay.port, 1, InetAddress.getByName(UNANSWERING))) {
            List<Socket> fillers = fillListenQueue(listener);
            try {
                assertEveryAttemptDefers(relay, "4.4.1", "connect to " + MX_HOST + "[" + UNANSWERING + "]:"
                        + relay.port + ": no answer", SMTP_TIMEOUT);
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    /** Connects until the listener's accept queue is full (it never accepts); further SYNs are dropped. */
    private static List<Socket> fillListenQueue(ServerSocket listener) throws java.io.IOException {
        List<Socket> fillers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Socket filler = new Socket();
            try {
                filler.connect(listener.getLocalSocketAddress(), 1000);
                fillers.add(filler);
            } catch (java.io.IOException e) {
                filler.close();
                return fillers;
            }
        }
        throw new IllegalStateException("the listen queue never filled up; connect timeouts cannot be provoked here");
    }

    @Test
    void aReceiverThatNeverGreetsDefersWithATimeout() throws Exception {
        try (DeliveryHarness relay = relay()) {
            relay.mx1().delay(ReplyPoint.GREETING, Duration.ofHours(1));
            assertEveryAttemptDefers(relay, "4.4.1", "timeout in the greeting stage with " + MX_HOST, SMTP_TIMEOUT);
        }
    }

    @Test
    void aReceiverTricklingItsGreetingDefersWithATimeout() throws Exception {
        try (DeliveryHarness relay = relay()) {
            relay.mx1().trickle(ReplyPoint.GREETING, PER_OCTET);
            assertEveryAttemptDefers(relay, "4.4.1", "timeout in the greeting stage with " + MX_HOST, SMTP_TIMEOUT);
        }
    }

    @Test
    void aReceiverTricklingItsReplyToMailDefersWithATimeout() throws Exception {
        try (DeliveryHarness relay = relay()) {
            relay.mx1().trickle(ReplyPoint.MAIL, PER_OCTET);
            assertEveryAttemptDefers(relay, "4.4.2", "timeout in the MAIL", SMTP_TIMEOUT);
        }
    }

    @Test
    void aDropRightAfterTheGoAheadForDataDefersWithALostConnection() throws Exception {
        try (DeliveryHarness relay = relay()) {
            relay.mx1().dropAfterReplying(ReplyPoint.DATA);
            assertEveryAttemptDefers(relay, "4.4.2", "lost connection with " + MX_HOST, Duration.ZERO);
        }
    }

    @Test
    void aDropInTheMiddleOfTheContentDefersWithALostConnection() throws Exception {
        try (DeliveryHarness relay = relay()) {
            relay.mx1().dropDuringData(10);
            assertEveryAttemptDefers(relay, "4.4.2", "lost connection with " + MX_HOST, Duration.ZERO);
        }
    }

    @Test
    void aDropAfterTheFinalDotDefersWithALostConnection() throws Exception {
        try (DeliveryHarness relay = relay()) {
            relay.mx1().dropInsteadOfReplying(ReplyPoint.END_OF_DATA);
            assertEveryAttemptDefers(relay, "4.4.2", "lost connection with " + MX_HOST + "[", Duration.ZERO);
        }
    }

    @Test
    void aReceiverTricklingItsReplyToTheFinalDotDefersWithATimeout() throws Exception {
        try (DeliveryHarness relay = relay()) {
            relay.mx1().trickle(ReplyPoint.END_OF_DATA, PER_OCTET);
            assertEveryAttemptDefers(relay, "4.4.2", "timeout waiting for the", SMTP_TIMEOUT);
            // The receiver had each message before its reply: RFC 5321 6.1 prefers such a duplicate to a loss.
            assertThat(relay.mx1().messages()).hasSize(ROUNDS * MESSAGES);
        }
    }

    /**
     * Attempts waiting for a faulty destination's slot hold no connection slot: mail to other
     * destinations goes at once, not after the faulty attempts' timeouts (Postfix's qmgr keeps
     * per-destination queues for the same reason).
     */
    @Test
    void attemptsWaitingForASilentDestinationDoNotHoldUpMailToOthers() throws Exception {
        Duration patient = Duration.ofSeconds(2);
        try (DeliveryHarness relay = relay(null, DeliveryHarness.builder().smtpTimeout(patient).limits(2, 1)
                .pollInterval(Duration.ofHours(1)))) {
            relay.mx1().delay(ReplyPoint.GREETING, Duration.ofHours(1));
            for (int i = 0; i < 5; i++) {
                relay.queue("alice@sender.example", "user" + i + "@" + DOMAIN);
            }
            relay.queue("alice@sender.example", "bob@" + HEALTHY);

            relay.service.start();

            // Without a free connection slot it would wait for the first silent greeting to time out.
            assertThat(relay.senderMx().awaitMessages(1, patient.dividedBy(2))).singleElement()
                    .satisfies(m -> assertThat(m.recipients()).containsExactly("bob@" + HEALTHY));
            // The silent destination's first attempt may connect a moment after the healthy delivery.
            assertThat(ProcessResources.awaitCondition(relay.mx1()::connectionCount, count -> count == 1, PATIENCE))
                    .as("one attempt at a time to the silent destination").isEqualTo(1);
            // The healthy attempt ends a moment after the receiver has its message (250, QUIT).
            assertThat(ProcessResources.awaitCondition(relay.service::attemptsInFlight, held -> held == 1, PATIENCE))
                    .as("connection slots held while the silent destination's attempts wait").isEqualTo(1);
        }
    }

    /**
     * Queues {@link #MESSAGES} messages to faulty.example, runs {@link #ROUNDS} passes and checks
     * after each: every recipient deferred with {@code status} and a diagnosis containing
     * {@code text}, the pass within {@code timeout} and a margin, nothing left in flight.
     */
    private static void assertEveryAttemptDefers(DeliveryHarness relay, String status, String text, Duration timeout)
            throws Exception {
        List<QueueId> ids = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            ids.add(relay.queue("alice@sender.example", "user" + i + "@" + DOMAIN));
        }
        ProcessResources afterFirstRound = null;
        for (int round = 1; round <= ROUNDS; round++) {
            long started = System.nanoTime();
            assertThat(relay.pass()).as("recipients attempted in round %d", round).isEqualTo(MESSAGES);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("round %d", round)
                    .isLessThan(timeout.plus(MARGIN));
            for (QueueId id : ids) {
                RecipientStatus recipient = relay.store.find(id).orElseThrow().recipients().getFirst();
                assertThat(recipient.state()).as("%s", recipient).isEqualTo(RecipientState.DEFERRED);
                assertThat(recipient.attempts()).isEqualTo(round);
                Diagnosis diagnosis = recipient.diagnosis().orElseThrow();
                assertThat(diagnosis.status()).as("%s", diagnosis).isEqualTo(status);
                assertThat(diagnosis.text()).contains(text);
            }
            assertNothingLeftOver(relay);
            if (round == 1) {
                afterFirstRound = ProcessResources.now();
            }
            relay.clock.advance(Duration.ofHours(2)); // past the next attempt, short of a delay warning
        }
        ProcessResources afterLastRound = ProcessResources.awaitNear(afterFirstRound, PATIENCE);
        assertThat(afterLastRound.near(afterFirstRound))
                .as("after %d faults %s, after %d %s", MESSAGES, afterFirstRound, ROUNDS * MESSAGES, afterLastRound)
                .isTrue();
        // Never a bounce (no DSN to the sender), never delivered another way (the domain's A record).
        assertThat(relay.senderMx().connectionCount()).as("DSNs sent").isZero();
        assertThat(relay.mx2().connectionCount()).as("connections to the domain's own address").isZero();
    }

    private static void assertNothingLeftOver(DeliveryHarness relay) throws InterruptedException {
        assertThat(relay.service.recipientsInFlight()).as("recipients in flight").isZero();
        assertThat(relay.service.attemptsInFlight()).as("attempts holding a connection slot").isZero();
        assertThat(relay.service.destinationsInUse()).as("destinations remembered").isZero();
        ConnectionCounts counts = ProcessResources.awaitCondition(relay.client::connectionCounts,
                ConnectionCounts.NONE::equals, PATIENCE);
        assertThat(counts).as("outbound connections").isEqualTo(ConnectionCounts.NONE);
        for (int connection = 1; connection <= relay.mx1().connectionCount(); connection++) {
            relay.mx1().awaitConnectionClosed(connection, PATIENCE);
        }
    }
}
