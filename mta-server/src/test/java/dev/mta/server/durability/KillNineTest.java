package dev.mta.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.MessageDetail;
import dev.mta.queue.MessageStore;
import dev.mta.queue.MessageSummary;
import dev.mta.queue.QueueId;
import dev.mta.server.TestRelay;
import dev.mta.testsupport.smtp.SmtpReply;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise behind "250 queued as": a relay killed with SIGKILL while clients are sending has
 * every message it acknowledged in its queue, intact, and starts again on that queue.
 */
class KillNineTest {
    private static final int CYCLES = 3;
    private static final int CLIENTS = 8;
    private static final List<String> JVM = List.of("-Xmx256m", "-XX:+UseSerialGC");

    @TempDir
    Path dir;

    private RelayProcess relay;

    /** What one client sent and was told 250 for. */
    private record Accepted(QueueId id, String sender, List<String> recipients, String message) {
    }

    @AfterEach
    void killRelay() throws InterruptedException {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void everyAcknowledgedMessageSurvivesSigkillDuringLoadAndTheQueueReopens() throws Exception {
        long seed = Long.getLong("durability.seed", 0x5EED_0009L);
        System.out.println("KillNineTest seed " + seed + " (rerun with -Ddurability.seed=" + seed + ")");
        Random random = new Random(seed);
        Map<QueueId, Accepted> acceptedInEarlierCycles = new HashMap<>();
        Set<QueueId> queuedInEarlierCycles = new HashSet<>();
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            relay = RelayProcess.start(dir, "cycle-" + cycle, JVM, List.of());
            System.out.printf("cycle %d: relay start-up %d ms (launch to greeting)%n",
                    cycle, relay.startup().toMillis());

            Load load = new Load(relay, cycle, random.nextLong());
            load.start();
            // Kill at a random moment, but only once mail is flowing, or the cycle proves nothing.
            assertThat(load.firstAccepted.await(20, TimeUnit.SECONDS))
                    .as("a first 250; client failures " + load.failures() + "\n" + relay.describe()).isTrue();
            long loadMillis = 300 + random.nextInt(1200);
            Thread.sleep(loadMillis); // the random moment itself is what the test varies, not a condition
            load.killing = true;
            int inFlightAtKill = load.inFlight.get();
            assertThat(relay.kill()).as("exit value of a process ended by SIGKILL").isEqualTo(128 + 9);
            assertThat(load.awaitClients(Duration.ofSeconds(20))).as("client threads ended after the kill").isTrue();
            List<String> complaints = relay.complaints();
            relay = null;

            Map<QueueId, Accepted> accepted = load.accepted();
            int found = 0;
            int unacknowledgedButQueued;
            List<String> problems = new ArrayList<>();
            try (MessageStore store = RelayProcess.openStoreOf(dir)) {
                Set<QueueId> listed = new HashSet<>();
                for (MessageSummary summary : store.list()) {
                    listed.add(summary.id());
                }
                for (Accepted message : accepted.values()) {
                    String problem = check(store, listed, message);
                    if (problem == null) {
                        found++;
                    } else {
                        problems.add(problem);
                    }
                }
                for (Accepted earlier : acceptedInEarlierCycles.values()) {
                    String problem = check(store, listed, earlier);
                    if (problem != null) {
                        problems.add("from an earlier cycle: " + problem);
                    }
                }
                Set<QueueId> unacknowledged = new HashSet<>(listed);
                unacknowledged.removeAll(accepted.keySet());
                unacknowledged.removeAll(queuedInEarlierCycles);
                unacknowledgedButQueued = unacknowledged.size();
                queuedInEarlierCycles.addAll(listed);
            }
            System.out.printf("cycle %d: load %d ms, in flight at kill %d, accepted %d, found %d, lost %d,"
                            + " queued without a 250 %d, relay log complaints %d%n",
                    cycle, loadMillis, inFlightAtKill, accepted.size(), found, accepted.size() - found,
                    unacknowledgedButQueued, complaints.size());
            complaints.stream().limit(20).forEach(line -> System.out.println("  relay log: " + line));
            assertThat(problems).as("cycle " + cycle + " (seed " + seed + ")").isEmpty();
            assertThat(load.failures()).as("replies other than 250 or a dropped connection").isEmpty();
            acceptedInEarlierCycles.putAll(accepted);
        }
    }

    /** Null when the message is queued as it was sent; otherwise what is wrong with it. */
    private static String check(MessageStore store, Set<QueueId> listed, Accepted message) throws Exception {
        if (!listed.contains(message.id())) {
            return message.id() + " (" + marker(message) + ") is not in the queue listing";
        }
        MessageDetail detail = store.find(message.id()).orElse(null);
        if (detail == null) {
            return message.id() + " is listed but not found";
        }
        List<String> recipients = detail.envelope().recipients().stream().map(EnvelopeRecipient::address).toList();
        if (!detail.envelope().sender().equals(message.sender()) || !recipients.equals(message.recipients())) {
            return message.id() + " has envelope " + detail.envelope().sender() + " " + recipients
                    + ", sent " + message.sender() + " " + message.recipients();
        }
        String body;
        try (InputStream in = store.openBody(message.id())) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!body.startsWith("Received: ") || !body.endsWith("\r\n" + message.message())) {
            return message.id() + " (" + marker(message) + ") body differs: " + body.length() + " bytes stored, "
                    + message.message().length() + " sent";
        }
        if (detail.size() != body.getBytes(StandardCharsets.UTF_8).length) {
            return message.id() + " size " + detail.size() + " but body has " + body.length() + " bytes";
        }
        return null;
    }

    private static String marker(Accepted message) {
        return message.message().lines().filter(l -> l.startsWith("X-Marker: ")).findFirst().orElse("?");
    }

    /** CLIENTS threads sending over their own connections until the relay dies. */
    private static final class Load {
        private final RelayProcess relay;
        private final int cycle;
        private final long seed;
        private final Map<QueueId, Accepted> accepted = new ConcurrentHashMap<>();
        private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        private final CountDownLatch firstAccepted = new CountDownLatch(1);
        private final CountDownLatch clientsDone = new CountDownLatch(CLIENTS);
        private final AtomicInteger inFlight = new AtomicInteger();
        /** Set just before SIGKILL: from then on a dropped connection is expected. */
        private volatile boolean killing;
        private final List<Thread> threads = new ArrayList<>();

        Load(RelayProcess relay, int cycle, long seed) {
            this.relay = relay;
            this.cycle = cycle;
            this.seed = seed;
        }

        void start() {
            for (int client = 0; client < CLIENTS; client++) {
                int number = client;
                Thread thread = Thread.ofPlatform().name("load-" + cycle + "-" + client).daemon().start(() -> {
                    try {
                        run(number, new Random(seed + number));
                    } finally {
                        clientsDone.countDown();
                    }
                });
                threads.add(thread);
            }
        }

        private void run(int client, Random random) {
            try (SmtpTestClient smtp = relay.connect()) {
                expect(smtp.readReply(), 220);
                expect(smtp.ehlo("load" + client + ".test"), 250);
                for (int sequence = 0; ; sequence++) {
                    String sender = "c" + client + "@example.org";
                    List<String> recipients = new ArrayList<>();
                    int count = 1 + random.nextInt(3);
                    for (int r = 0; r < count; r++) {
                        recipients.add("r" + r + ".s" + sequence + "@d" + random.nextInt(5) + ".example.net");
                    }
                    String message = message(client, sequence, random);
                    expect(smtp.command("MAIL FROM:<" + sender + ">"), 250);
                    for (String recipient : recipients) {
                        expect(smtp.command("RCPT TO:<" + recipient + ">"), 250);
                    }
                    expect(smtp.command("DATA"), 354);
                    SmtpReply reply;
                    inFlight.incrementAndGet();
                    try {
                        reply = smtp.sendData(message);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                    expect(reply, 250);
                    QueueId id = TestRelay.queueIdFrom(reply.text());
                    accepted.put(id, new Accepted(id, sender, List.copyOf(recipients), message));
                    firstAccepted.countDown();
                }
            } catch (IOException e) {
                // After the kill the connection drops in the middle of whatever was going on; before it, that is a bug.
                if (!killing) {
                    failures.add(Thread.currentThread().getName() + " before the kill: " + e);
                }
            } catch (RuntimeException | AssertionError e) {
                failures.add(Thread.currentThread().getName() + ": " + e);
            }
        }

        private void expect(SmtpReply reply, int code) {
            if (reply.code() != code) {
                throw new AssertionError("expected " + code + ", got " + reply.raw().strip());
            }
        }

        /** Headers with the marker, then 0 to 80 base64-like lines of 76 characters, the marker again last. */
        private static String message(int client, int sequence, Random random) {
            String marker = "client " + client + " sequence " + sequence;
            StringBuilder message = new StringBuilder()
                    .append("From: c").append(client).append("@example.org\r\n")
                    .append("Subject: load ").append(sequence).append("\r\n")
                    .append("X-Marker: ").append(marker).append("\r\n\r\n");
            int lines = random.nextInt(81);
            for (int i = 0; i < lines; i++) {
                message.append(i % 17 == 0 ? "." : "").append(Base64Lines.line(random)).append("\r\n");
            }
            return message.append("end of ").append(marker).append("\r\n").toString();
        }

        boolean awaitClients(Duration timeout) throws InterruptedException {
            return clientsDone.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        Map<QueueId, Accepted> accepted() {
            return Map.copyOf(accepted);
        }

        List<String> failures() {
            return List.copyOf(failures);
        }
    }
}
