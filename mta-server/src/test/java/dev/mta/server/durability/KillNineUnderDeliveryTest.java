package dev.mta.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.MessageStore;
import dev.mta.server.TestRelay;
import dev.mta.testsupport.dns.TestDnsServer;
import dev.mta.testsupport.smtp.ConnectionLog;
import dev.mta.testsupport.smtp.ReceivedMessage;
import dev.mta.testsupport.smtp.SmtpReply;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL while the relay accepts and delivers at once, twenty times in a row on the same queue.
 * One receiver outlives every relay and records each copy it gets; clients send without pause and
 * note every message the relay answered 250. After the last restart the queue drains, and every
 * acknowledged message has reached each of its recipients: once, or once more for each crash
 * that fell between the receiver's 250 and the queue's update (DeliveryCrashTest shows that
 * window alone). None lost. Seeded: -Dkill.seed=N replays the same kill moments and traffic.
 *
 * <p>Not in CI yet, run on demand with {@code -Dmta.test.kill-under-delivery=true}: since spool
 * files carry their envelope no run has lost mail, but in 1 of the last 3 runs the relay refused
 * to start after a kill, because H2 timed out on a row lock left by the killed process while
 * recovery put a message back (issue 9's note). The mail stays safe in its spool file, but the
 * test fails, and CI must not be red on an H2 problem that is not solved yet.
 */
@EnabledIfSystemProperty(named = "mta.test.kill-under-delivery", matches = "true")
class KillNineUnderDeliveryTest {
    private static final int ROUNDS = 20;
    private static final int CLIENTS = 3;
    private static final List<String> JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final List<String> DOMAINS = List.of("example.org", "example.net");
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern TOKEN = Pattern.compile("(?m)^Message-ID: <(k[0-9-]+)@killnine\\.test>\r?$");

    /** Kept when the test fails: the relay logs of every round are there. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private RelayProcess relay;

    @AfterEach
    void killRelay() throws InterruptedException {
        if (relay != null) {
            relay.close();
        }
    }

    /** One recipient of one acknowledged message: what must arrive at the receiver. */
    private record Delivery(String token, String recipient) {
    }

    @Test
    void everyAcknowledgedMessageIsDeliveredOnceOrOnceMorePerCrashAndNoneIsLost() throws Exception {
        long seed = Long.getLong("kill.seed", System.nanoTime());
        System.out.println("KillNineUnderDeliveryTest seed " + seed + " (rerun with -Dkill.seed=" + seed + ")");
        Random random = new Random(seed);
        long began = System.nanoTime();
        try (TestDnsServer dns = TestDnsServer.start();
                SmtpSinkServer sink = SmtpSinkServer.builder().address("127.0.0.2").hostName("mx.example.org").start()) {
            dns.zone("example.org").mx("example.org", 10, "mx.example.org").a("mx.example.org", "127.0.0.2");
            dns.zone("example.net").mx("example.net", 10, "mx.example.org");
            List<String> delivery = TestRelay.in(dir).deliveringThrough(dns.port(), sink.port()).overrides().stream()
                    .filter(option -> option.startsWith("delivery.") && !option.startsWith("delivery.trust-anchors"))
                    .toList();

            Map<Delivery, Integer> acknowledgedInRound = new HashMap<>();
            // receivedBefore.get(r): how many copies the receiver had when round r's relay was dead
            // and every connection it had made was closed; copies in between arrived in round r.
            List<Integer> receivedBefore = new ArrayList<>();
            receivedBefore.add(0);
            int[] acceptedPerRound = new int[ROUNDS + 2];
            // Collected rather than asserted at once, so a failing run still prints every figure.
            List<String> errors = new ArrayList<>();
            List<String> logs = new ArrayList<>();
            for (int r = 1; r <= ROUNDS + 1; r++) {
                int round = r;
                boolean last = round == ROUNDS + 1;
                relay = RelayProcess.start(dir, "round-" + round, JVM, delivery);
                long startup = relay.startup().toMillis();
                Load load = new Load(relay, round, random.nextLong());
                load.start();
                assertThat(load.firstAccepted.await(20, TimeUnit.SECONDS))
                        .as("a first 250 in round " + round + "; client failures " + load.failures() + "\n" + relay.describe())
                        .isTrue();
                long loadMillis = 500 + random.nextInt(2500);
                Thread.sleep(loadMillis); // the random moment is what the test varies, not a condition to wait for
                if (last) {
                    load.stop();
                    assertThat(load.awaitClients(Duration.ofSeconds(20))).as("clients finished").isTrue();
                    int left = awaitEmptyQueue();
                    if (left != 0) {
                        errors.add((left < 0 ? "the queue could not be read" : left + " message(s) still queued")
                                + " " + DRAIN_TIMEOUT + " after the last round");
                    }
                    assertThat(relay.stop()).as("SIGTERM after the drain: a clean stop").isZero();
                } else {
                    load.killing = true;
                    // 137 = 128 + 9: the child died of SIGKILL, not of a signal it could handle.
                    assertThat(relay.kill()).as("exit value of a relay ended by SIGKILL").isEqualTo(128 + 9);
                    assertThat(load.awaitClients(Duration.ofSeconds(20))).as("clients ended after the kill").isTrue();
                }
                awaitReceiverConnectionsClosed(sink);
                relay.complaints().stream().filter(line -> !line.contains(" WARN "))
                        .forEach(line -> errors.add("round " + round + ": " + line));
                logs.add(relay.log());
                relay = null;
                assertThat(load.failures()).as("replies other than 250 or a dropped connection in round " + round)
                        .isEmpty();
                receivedBefore.add(sink.messages().size());
                load.acknowledged().forEach(d -> acknowledgedInRound.put(d, load.round));
                acceptedPerRound[round] = load.acceptedMessages.size();
                System.out.printf("round %2d: start-up %4d ms, %s %4d ms, accepted %4d, receiver copies this round %4d%n",
                        round, startup, last ? "drain after" : "SIGKILL at", loadMillis, acceptedPerRound[round],
                        receivedBefore.get(round) - receivedBefore.get(round - 1));
            }

            List<ReceivedMessage> received = sink.messages();
            Map<Delivery, List<Integer>> copies = copiesByRound(received, receivedBefore);
            Outcome outcome = judge(acknowledgedInRound, copies);
            int accepted = java.util.Arrays.stream(acceptedPerRound).sum();
            System.out.printf("KillNineUnderDeliveryTest: %d kills + final drain in %d s; accepted %d messages"
                            + " (%d recipient deliveries owed), delivered %d, duplicates %d (of which %d a third copy"
                            + " or more), lost %d; unacknowledged but delivered %d; receiver copies in all %d%n",
                    ROUNDS, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began), accepted,
                    acknowledgedInRound.size(), outcome.delivered, outcome.duplicates, outcome.thirdCopies,
                    outcome.lost.size(), outcome.unacknowledged, received.size());
            printPerRound(acknowledgedInRound, copies, acceptedPerRound);

            List<String> resurrected = deliveredAfterRemoval(logs);
            System.out.println("messages the relay removed as done (synced) yet attempted again after a restart: "
                    + resurrected.size());
            resurrected.stream().limit(20).forEach(line -> System.out.println("  " + line));
            outcome.lost.stream().limit(20).forEach(d -> System.out.println("  lost: " + d));
            assertThat(outcome.lost).as("acknowledged with 250, never delivered (seed " + seed + ")").isEmpty();
            assertThat(errors).as("errors in the relay logs (seed " + seed + ", logs in " + dir + ")").isEmpty();
            assertThat(resurrected).as("attempts of messages whose removal was durable (seed " + seed + ")").isEmpty();
            assertThat(outcome.unexplained)
                    .as("copies beyond the first that no crash explains (seed " + seed + ")").isEmpty();
            try (MessageStore store = RelayProcess.openStoreOf(dir)) {
                assertThat(store.list()).as("the queue after the drain").isEmpty();
            }
        }
    }

    /**
     * The queue logs "removed id=..." only once the deletion of a finished message is synced; a
     * later relay that attempts that message again has lost a durable change.
     */
    private static List<String> deliveredAfterRemoval(List<String> logs) {
        Pattern removed = Pattern.compile("removed id=(\\w+)");
        Pattern delivered = Pattern.compile("delivery: id=(\\w+) ");
        Map<String, Integer> removedInRound = new HashMap<>();
        List<String> again = new ArrayList<>();
        for (int round = 1; round <= logs.size(); round++) {
            for (String line : logs.get(round - 1).lines().toList()) {
                Matcher delivery = delivered.matcher(line);
                if (delivery.find() && removedInRound.containsKey(delivery.group(1))) {
                    again.add(delivery.group(1) + " removed in round " + removedInRound.get(delivery.group(1))
                            + ", attempted again in round " + round + ": " + line);
                }
                Matcher removal = removed.matcher(line);
                if (removal.find()) {
                    removedInRound.putIfAbsent(removal.group(1), round);
                }
            }
        }
        return again;
    }

    /** For every (token, recipient) the receiver got, the round of each copy, in arrival order. */
    private static Map<Delivery, List<Integer>> copiesByRound(List<ReceivedMessage> received, List<Integer> receivedBefore) {
        Map<Delivery, List<Integer>> copies = new HashMap<>();
        int round = 1;
        for (int index = 0; index < received.size(); index++) {
            while (round < receivedBefore.size() - 1 && index >= receivedBefore.get(round)) {
                round++;
            }
            ReceivedMessage message = received.get(index);
            Matcher token = TOKEN.matcher(message.dataAsString());
            assertThat(token.find()).as("a token in copy " + index + ":\n" + message.dataAsString()).isTrue();
            for (String recipient : message.recipients()) {
                copies.computeIfAbsent(new Delivery(token.group(1), recipient), d -> new ArrayList<>()).add(round);
            }
        }
        return copies;
    }

    private static final class Outcome {
        int delivered;
        int duplicates;
        int thirdCopies;
        int unacknowledged;
        final List<Delivery> lost = new ArrayList<>();
        final List<String> unexplained = new ArrayList<>();
    }

    /**
     * A copy may be followed by another only if the relay that sent it was killed before it could
     * note the delivery: every copy but the last must have arrived in a round that ended with
     * SIGKILL, and no two copies in the same round (the relay that sent the first was dead after it).
     */
    private static Outcome judge(Map<Delivery, Integer> acknowledged, Map<Delivery, List<Integer>> copies) {
        Outcome outcome = new Outcome();
        for (Delivery owed : acknowledged.keySet()) {
            List<Integer> rounds = copies.getOrDefault(owed, List.of());
            if (rounds.isEmpty()) {
                outcome.lost.add(owed);
                continue;
            }
            outcome.delivered++;
            outcome.duplicates += rounds.size() - 1;
            if (rounds.size() > 2) {
                outcome.thirdCopies += rounds.size() - 2;
            }
            for (int i = 0; i + 1 < rounds.size(); i++) {
                int round = rounds.get(i);
                if (round > ROUNDS || rounds.get(i + 1) == round) {
                    outcome.unexplained.add(owed + " copies in rounds " + rounds);
                    break;
                }
            }
        }
        for (Map.Entry<Delivery, List<Integer>> entry : copies.entrySet()) {
            if (!acknowledged.containsKey(entry.getKey())) {
                // Queued durably but the 250 did not reach the client before the kill: a
                // duplicate on the client's side if it retries, which is SMTP's usual promise.
                outcome.unacknowledged++;
            }
        }
        return outcome;
    }

    private static void printPerRound(Map<Delivery, Integer> acknowledged, Map<Delivery, List<Integer>> copies,
                                      int[] acceptedPerRound) {
        int[] owed = new int[ROUNDS + 2];
        int[] delivered = new int[ROUNDS + 2];
        int[] duplicated = new int[ROUNDS + 2];
        int[] lost = new int[ROUNDS + 2];
        acknowledged.forEach((delivery, round) -> {
            List<Integer> rounds = copies.getOrDefault(delivery, List.of());
            owed[round]++;
            if (rounds.isEmpty()) {
                lost[round]++;
            } else {
                delivered[round]++;
                duplicated[round] += rounds.size() - 1;
            }
        });
        System.out.println("round  accepted(messages)  owed(recipients)  delivered  duplicates  lost");
        for (int round = 1; round <= ROUNDS + 1; round++) {
            System.out.printf("%5d  %18d  %16d  %9d  %10d  %4d%n", round, acceptedPerRound[round], owed[round],
                    delivered[round], duplicated[round], lost[round]);
        }
    }

    /**
     * The round boundary on the receiver's side: once every connection a relay made is closed, no
     * more copies can arrive from it.
     */
    private static void awaitReceiverConnectionsClosed(SmtpSinkServer sink) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        for (ConnectionLog connection : sink.connections()) {
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            sink.awaitConnectionClosed(connection.number(), left);
        }
    }

    /**
     * Polls the live relay's queue through a second connection (H2 AUTO_SERVER), as "mta queue
     * list" does, until it is empty; returns how many messages are left (-1: unreadable at the end).
     */
    private int awaitEmptyQueue() throws Exception {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (true) {
            int left;
            try (MessageStore store = RelayProcess.openStoreOf(dir)) {
                left = store.list().size();
            } catch (dev.mta.queue.StoreException e) {
                // H2 can fail a read that meets rows deleted under it ("Row not found in primary
                // index", then a lock timeout) while the relay removes delivered mail: ask again.
                left = -1;
            }
            if (left == 0 || System.nanoTime() > deadline) {
                return left;
            }
            Thread.sleep(200);
        }
    }

    /** CLIENTS threads, each sending message after message over its own connection. */
    private static final class Load {
        private final RelayProcess relay;
        private final int round;
        private final long seed;
        private final Set<Delivery> acknowledged = ConcurrentHashMap.newKeySet();
        private final Set<String> acceptedMessages = ConcurrentHashMap.newKeySet();
        private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        private final CountDownLatch firstAccepted = new CountDownLatch(1);
        private final CountDownLatch clientsDone = new CountDownLatch(CLIENTS);
        /** Set just before SIGKILL: from then on a dropped connection is expected. */
        private volatile boolean killing;
        private volatile boolean stopping;

        Load(RelayProcess relay, int round, long seed) {
            this.relay = relay;
            this.round = round;
            this.seed = seed;
        }

        void start() {
            for (int client = 0; client < CLIENTS; client++) {
                int number = client;
                Thread.ofPlatform().name("send-" + round + "-" + client).daemon().start(() -> {
                    try {
                        run(number, new Random(seed + number));
                    } finally {
                        clientsDone.countDown();
                    }
                });
            }
        }

        /** Ends the clients after their current message, with QUIT. */
        void stop() {
            stopping = true;
        }

        private void run(int client, Random random) {
            try (SmtpTestClient smtp = SmtpTestClient.connect("127.0.0.1", relay.port(), Duration.ofSeconds(20))) {
                expect(smtp.readReply(), 220);
                expect(smtp.ehlo("client" + client + ".test"), 250);
                for (int sequence = 0; !stopping; sequence++) {
                    String token = "k" + round + "-" + client + "-" + sequence;
                    List<String> recipients = new ArrayList<>();
                    for (String domain : DOMAINS) {
                        if (recipients.isEmpty() || random.nextBoolean()) {
                            recipients.add("r" + random.nextInt(3) + "@" + domain);
                        }
                    }
                    expect(smtp.command("MAIL FROM:<c" + client + "@sender.example>"), 250);
                    for (String recipient : recipients) {
                        expect(smtp.command("RCPT TO:<" + recipient + ">"), 250);
                    }
                    expect(smtp.command("DATA"), 354);
                    SmtpReply reply = smtp.sendData(message(token, random));
                    expect(reply, 250);
                    acceptedMessages.add(token);
                    recipients.forEach(r -> acknowledged.add(new Delivery(token, r)));
                    firstAccepted.countDown();
                }
                expect(smtp.command("QUIT"), 221);
            } catch (IOException e) {
                // After the kill the connection drops in the middle of whatever was going on; before it, that is a bug.
                if (!killing) {
                    failures.add(Thread.currentThread().getName() + " before the kill: " + e);
                }
            } catch (RuntimeException | AssertionError e) {
                failures.add(Thread.currentThread().getName() + ": " + e);
            }
        }

        private static String message(String token, Random random) {
            StringBuilder message = new StringBuilder()
                    .append("From: sender@sender.example\r\n")
                    .append("Message-ID: <").append(token).append("@killnine.test>\r\n")
                    .append("Subject: ").append(token).append("\r\n\r\n");
            int lines = random.nextInt(20);
            for (int i = 0; i < lines; i++) {
                message.append(Base64Lines.line(random)).append("\r\n");
            }
            return message.append("end of ").append(token).append("\r\n").toString();
        }

        private void expect(SmtpReply reply, int code) {
            if (reply.code() != code) {
                throw new AssertionError("expected " + code + ", got " + reply.raw().strip());
            }
        }

        boolean awaitClients(Duration timeout) throws InterruptedException {
            return clientsDone.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        Set<Delivery> acknowledged() {
            return Set.copyOf(acknowledged);
        }

        List<String> failures() {
            return List.copyOf(failures);
        }
    }
}
