package dev.mta.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.MessageStore;
import dev.mta.queue.MessageSummary;
import dev.mta.testsupport.dns.TestDnsServer;
import dev.mta.testsupport.smtp.ReceivedMessage;
import dev.mta.testsupport.smtp.ReplyPoint;
import dev.mta.testsupport.smtp.SmtpReply;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while clients submit and deliveries are in flight: every message answered 250 is either
 * delivered or still queued; nothing is counted delivered that the next hop did not get; after a
 * restart everything left goes out.
 */
class SigtermUnderLoadTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern QUEUE_ID = Pattern.compile("\\bid ([A-Z0-9]+)");
    private static final int CLIENTS = 4;
    private static final int MESSAGES_PER_CLIENT = 15;

    @TempDir
    Path dir;

    @Test
    void sigtermUnderLoadLosesNothingAndMarksNothingDeliveredThatWasNot() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start();
                SmtpSinkServer sink = SmtpSinkServer.builder().address("127.0.0.2").hostName("mx.example.org").start()) {
            dns.zone("example.org").mx("example.org", 10, "mx.example.org").a("mx.example.org", "127.0.0.2");
            // A slow receiver taking two messages at a time: deliveries are in flight and mail is
            // waiting when the signal comes.
            sink.delay(ReplyPoint.END_OF_DATA, Duration.ofMillis(700));
            List<String> delivery = List.of("delivery.enabled=true", "delivery.dnssec=off",
                    "delivery.max-connections-per-destination=2",
                    "delivery.dns-servers=[\"127.0.0.1:" + dns.port() + "\"]",
                    "delivery.port=" + sink.port(), "delivery.address-families=[ipv4]");

            Set<String> accepted = ConcurrentHashMap.newKeySet();
            RelayProcess first = RelayProcess.start(dir, "under-load", List.of(), delivery);
            try (first) {
                AtomicInteger answered = new AtomicInteger();
                CountDownLatch enough = new CountDownLatch(20);
                ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    clients.submit(() -> submitUntilRefused(first.port(), client, accepted, answered, enough));
                }
                assertThat(enough.await(30, TimeUnit.SECONDS)).as("20 messages accepted").isTrue();
                assertThat(first.stop()).as("SIGTERM: a clean exit").isZero();
                clients.shutdown();
                assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
                assertThat(first.log()).doesNotContain("ERROR");
            }
            assertThat(accepted).hasSizeGreaterThanOrEqualTo(20);

            Set<String> delivered = queueIds(sink.messages());
            Set<String> queued = new HashSet<>();
            try (MessageStore store = RelayProcess.openStoreOf(dir)) {
                for (MessageSummary message : store.list()) {
                    queued.add(message.id().toString());
                }
            }
            System.out.printf("SIGTERM under load: %d accepted, %d at the next hop, %d still queued%n",
                    accepted.size(), delivered.size(), queued.size());
            assertThat(queued).as("mail was still waiting when the relay stopped").isNotEmpty();
            // Nothing accepted is lost: it reached the next hop or it is still queued.
            for (String id : accepted) {
                assertThat(delivered.contains(id) || queued.contains(id)).as("message " + id + " is somewhere").isTrue();
            }
            // Nothing is settled that did not reach the next hop.
            for (String id : accepted) {
                if (!queued.contains(id)) {
                    assertThat(delivered).as("settled message " + id + " reached the next hop").contains(id);
                }
            }

            sink.resetReplies();
            RelayProcess second = RelayProcess.start(dir, "after-sigterm", List.of(), delivery);
            try (second) {
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (!(queueIds(sink.messages()).containsAll(accepted) && queueEmpty()) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(queueIds(sink.messages())).containsAll(accepted);
                assertThat(queueEmpty()).isTrue();
                assertThat(second.stop()).isZero();
            }
        }
    }

    private boolean queueEmpty() throws Exception {
        try (MessageStore store = RelayProcess.openStoreOf(dir)) {
            return store.list().isEmpty();
        }
    }

    /** Submits messages on one connection after another until the relay stops answering 250. */
    private static void submitUntilRefused(int port, int client, Set<String> accepted, AtomicInteger answered,
            CountDownLatch enough) {
        for (int i = 0; i < MESSAGES_PER_CLIENT; i++) {
            try (SmtpTestClient smtp = SmtpTestClient.connect("127.0.0.1", port, Duration.ofSeconds(10))) {
                if (smtp.readReply().code() != 220) {
                    return;
                }
                smtp.ehlo("client" + client + ".test");
                smtp.command("MAIL FROM:<alice@sender.example>");
                smtp.command("RCPT TO:<bob@example.org>");
                SmtpReply reply = smtp.data("Subject: load " + client + "-" + i + "\r\n\r\nbody\r\n");
                if (reply.code() != 250) {
                    return; // the client keeps this one: 4xx, as a stopping server answers
                }
                accepted.add(reply.text().substring(reply.text().lastIndexOf(' ') + 1));
                answered.incrementAndGet();
                enough.countDown();
            } catch (Exception | AssertionError e) {
                return; // connection refused or cut: the relay is going away, nothing was accepted
            }
        }
    }

    /** The queue ids in the relay's Received fields of what the next hop got. */
    private static Set<String> queueIds(List<ReceivedMessage> messages) {
        Set<String> ids = new HashSet<>();
        for (ReceivedMessage message : messages) {
            Matcher id = QUEUE_ID.matcher(message.dataAsString());
            if (id.find()) {
                ids.add(id.group(1));
            }
        }
        return ids;
    }
}
