package dev.mta.server.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.MessageStore;
import dev.mta.queue.MessageSummary;
import dev.mta.queue.QueueChange;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientState;
import dev.mta.queue.RecipientStatus;
import dev.mta.queue.Selection;
import dev.mta.server.TestRelay;
import dev.mta.testsupport.dns.TestDnsServer;
import dev.mta.testsupport.dns.TestZone;
import dev.mta.testsupport.time.TestClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9: a backlog of deferred mail for many domains drains, once the receivers are back, in
 * the order of its due times and within the per-destination concurrency limit. The size comes
 * from {@code -Dbacklog.messages} and {@code -Dbacklog.domains} (2,000 over 100 in the normal
 * suite; 100,000 over 1,000 in .ci/endurance).
 *
 * <p>The backlog is built the way it forms in life, only faster: messages committed through the
 * store from several threads, one recipient each, spread over the domains; the relay tries each
 * at once and every receiver greets it with 421, so each is deferred by the retry schedule. The
 * relay's clock stands still (a TestClock), so nothing is tried again on its own. Then the due
 * times are spread by the operator's requeue, applied to groups of messages picked at random
 * (so due order follows neither arrival nor domain), each group at its own later instant.
 *
 * <p>Each domain's MX host has its own loopback address (127.1.x.y) and one sink on the wildcard
 * address plays them all, telling them apart by the address a connection came in on. The
 * receivers come back, the clock moves past every due time, and the test checks: every message
 * delivered exactly once, in due order within the scheduler's claim window (see
 * {@link #CLAIM_WINDOW}), and never more connections or transactions to one destination than
 * {@code delivery.max-connections-per-destination}.
 */
class BacklogDrainTest {
    private static final int MAX_CONNECTIONS = 50;
    private static final int PER_DESTINATION = 2;
    /**
     * The order tolerance. The delivery scheduler claims due recipients earliest first, but at
     * most 4 x delivery.max-connections that are claimed and not yet settled at a time
     * (DeliveryService.dispatch), and runs what it claimed concurrently; attempts then finish in
     * whatever order connections, destination slots and threads allow. So a message may be
     * delivered before messages due earlier only if they were claimed and unsettled with it:
     * at most CLAIM_WINDOW - 1 of them. Anything more would mean the scheduler claimed it out of
     * due order.
     */
    private static final int CLAIM_WINDOW = 4 * MAX_CONNECTIONS;
    private static final int REQUEUE_GROUP = 100;
    /** Due times are spread over this span, starting a while after the deferrals. */
    private static final Duration DUE_SPAN = Duration.ofHours(1);

    @TempDir
    Path dir;

    @Test
    void aDeferredBacklogDrainsInDueOrderWithinThePerDestinationLimit() throws Exception {
        int messages = Integer.getInteger("backlog.messages", 2_000);
        int domains = Integer.getInteger("backlog.domains", 100);
        TestClock clock = TestClock.now();
        Instant start = clock.instant();
        try (QuietLogs logs = new QuietLogs();
                TestDnsServer dns = TestDnsServer.start();
                LoadSink sink = LoadSink.onEveryAddress()) {
            TestZone zone = dns.zone("backlog.test");
            for (int d = 0; d < domains; d++) {
                zone.mx(domain(d), 10, "mx." + domain(d)).a("mx." + domain(d), mxAddress(d));
            }
            sink.refuse("421 4.3.2 receiver down for maintenance");
            try (TestRelay relay = TestRelay.in(dir)
                    .deliveringThrough(dns.port(), sink.port())
                    .clock(clock)
                    .option("smtp.listeners.submission.enabled", "false")
                    .option("smtp.listeners.submissions.enabled", "false")
                    .option("delivery.max-connections", String.valueOf(MAX_CONNECTIONS))
                    .option("delivery.max-connections-per-destination", String.valueOf(PER_DESTINATION))
                    // The clock jumps hours ahead for the drain; a delay warning is not what this measures.
                    .option("delivery.delay-warning", "0")
                    .start()) {
                MessageStore store = relay.store();

                long buildStart = System.nanoTime();
                List<QueueId> ids = commit(store, messages, domains, clock);
                double committed = seconds(buildStart);
                awaitDeferred(relay, sink, messages);
                double deferred = seconds(buildStart);
                Map<QueueId, Integer> dueRank = spreadDueTimes(store, ids, start.plus(Duration.ofMinutes(10)));
                double spread = seconds(buildStart);
                Map<String, Integer> rankOfLoadId = checkBacklog(store, ids, dueRank, start.plus(Duration.ofMinutes(10)));
                System.out.printf("backlog: %d messages for %d domains committed in %.1f s, all deferred (%d refused"
                        + " connections, %s) at %.1f s, spread over %d due times at %.1f s, checked at %.1f s%n",
                        messages, domains, committed, sink.refusals(), logs.counts(), deferred,
                        dueRank.values().stream().distinct().count(), spread, seconds(buildStart));
                logs.clear();

                // The receivers come back, and the clock moves past every due time.
                sink.serve();
                clock.set(start.plus(Duration.ofMinutes(10)).plus(DUE_SPAN).plus(Duration.ofMinutes(1)));
                long drainStart = System.nanoTime();
                relay.delivery().wake();
                awaitDrained(store, sink, messages);
                double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
                Thread.sleep(500); // a duplicate would arrive about now

                List<LoadSink.Delivery> deliveries = sink.deliveries();
                assertDeliveredOnce(deliveries, rankOfLoadId);
                DueOrder order = DueOrder.of(deliveries.stream().map(d -> rankOfLoadId.get(d.loadId())).toList());
                System.out.printf("drained %d messages for %d domains in %.1f s: %.0f msg/s; due order: %d deliveries"
                        + " ahead of mail due earlier, by at most %d (tolerance %d); per destination at most %d"
                        + " connections and %d transactions at once (limit %d); %d connections in all; %s%n",
                        deliveries.size(), domains, drainSeconds, deliveries.size() / drainSeconds, order.overtaking(),
                        order.maxLag(), CLAIM_WINDOW - 1, sink.maxOpenPerDestination(),
                        sink.maxTransactionsPerDestination(), PER_DESTINATION, sink.acceptedConnections(), logs.counts());

                assertThat(order.maxLag()).as("deliveries overtaking mail due earlier, beyond the claim window")
                        .isLessThan(CLAIM_WINDOW);
                assertThat(sink.maxTransactionsPerDestination()).as("transactions at once to one destination")
                        .isLessThanOrEqualTo(PER_DESTINATION);
                assertThat(sink.maxOpenPerDestination()).as("connections at once to one destination")
                        .isLessThanOrEqualTo(PER_DESTINATION);
                assertThat(sink.protocolErrors()).isEmpty();
                assertThat(logs.errors()).as("errors logged").isEmpty();
                assertThat(logs.warnings()).as("warnings logged during the drain").isEmpty();
            }
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static String domain(int d) {
        return "d" + d + ".backlog.test";
    }

    /** A loopback address of its own for each destination's MX host: 127.1.x.y, y never 0 or 255. */
    private static String mxAddress(int d) {
        return "127.1." + (d / 200) + "." + (d % 200 + 1);
    }

    /** Commits the messages from several threads, as concurrent SMTP sessions would; returns their ids. */
    private static List<QueueId> commit(MessageStore store, int messages, int domains, TestClock clock) throws Exception {
        // Many writers, as many sessions would be: concurrent commits share their syncs (group commit).
        int threads = 64;
        ExecutorService committers = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<QueueId>>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                parts.add(committers.submit(() -> {
                    List<QueueId> ids = new ArrayList<>();
                    for (int n = first; n < messages; n += threads) {
                        ids.add(commitOne(store, n, domains, clock));
                    }
                    return ids;
                }));
            }
            List<QueueId> ids = new ArrayList<>(messages);
            for (Future<List<QueueId>> part : parts) {
                ids.addAll(part.get());
            }
            return ids;
        } finally {
            committers.shutdownNow();
        }
    }

    private static QueueId commitOne(MessageStore store, int n, int domains, TestClock clock) throws Exception {
        try (IncomingMessage message = store.receive()) {
            message.body().write(("X-Load-Id: " + n + "\r\nSubject: backlog " + n + "\r\n\r\nWaiting for its receiver.\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            message.commit(new Envelope("backlog@sender.test",
                    List.of(EnvelopeRecipient.of("m" + n + "@" + domain(n % domains))), Envelope.BodyType.SEVEN_BIT, false,
                    Optional.empty(), Optional.empty(),
                    new Envelope.ClientInfo("127.0.0.1", "backlog.client.test", Optional.empty()), clock.instant()));
            return message.id();
        }
    }

    /** Waits until the relay has tried every message once, been refused, and settled every attempt. */
    private static void awaitDeferred(TestRelay relay, LoadSink sink, int messages) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60 + messages / 50).toNanos();
        while (sink.refusals() < messages || relay.delivery().service().attemptsInFlight() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + sink.refusals() + " of " + messages + " refused in time");
            }
            Thread.sleep(50);
        }
    }

    /**
     * Requeues random groups of messages, each at its own instant after {@code from}, as an
     * operator's requeue at that time would; the relay's clock stays behind, so nothing is tried
     * until the receivers are back. Returns each message's due time as a rank (group number).
     */
    private static Map<QueueId, Integer> spreadDueTimes(MessageStore store, List<QueueId> ids, Instant from) throws Exception {
        List<QueueId> shuffled = new ArrayList<>(ids);
        Collections.shuffle(shuffled, new Random(9));
        int groups = (shuffled.size() + REQUEUE_GROUP - 1) / REQUEUE_GROUP;
        Map<QueueId, Integer> rank = new ConcurrentHashMap<>();
        // Several operators at once: each requeue is its own transaction and sync.
        ExecutorService operators = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                int number = g;
                List<QueueId> group = shuffled.subList(g * REQUEUE_GROUP, Math.min(shuffled.size(), (g + 1) * REQUEUE_GROUP));
                done.add(operators.submit(() -> {
                    QueueChange change = store.requeue(Selection.messages(group), dueTime(from, number, groups));
                    assertThat(change.leased()).as("recipients under a lease while the relay should be idle").isEmpty();
                    assertThat(change.recipients()).isEqualTo(group.size());
                    for (QueueId id : group) {
                        rank.put(id, number);
                    }
                    return null;
                }));
            }
            for (Future<?> requeued : done) {
                requeued.get();
            }
        } finally {
            operators.shutdownNow();
        }
        return rank;
    }

    private static Instant dueTime(Instant from, int group, int groups) {
        return from.plus(DUE_SPAN.multipliedBy(group).dividedBy(groups));
    }

    /**
     * The queue as the drain starts: every message deferred once by the refusal and due when its
     * group was requeued for. Returns the due rank of each message by its load id.
     */
    private static Map<String, Integer> checkBacklog(MessageStore store, List<QueueId> ids, Map<QueueId, Integer> dueRank,
            Instant from) throws Exception {
        int groups = dueRank.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        List<MessageSummary> queued = store.list();
        assertThat(queued).hasSize(ids.size());
        Map<String, Integer> rankOfLoadId = new HashMap<>();
        for (MessageSummary message : queued) {
            RecipientStatus recipient = message.recipients().getFirst();
            int rank = dueRank.get(message.id());
            assertThat(recipient.state()).as(message.id() + " " + recipient.lastReply()).isEqualTo(RecipientState.DEFERRED);
            assertThat(recipient.attempts()).isEqualTo(1);
            assertThat(recipient.nextAttempt()).contains(dueTime(from, rank, groups));
            // The load id is the message number, which is in the local part: m<n>@...
            String address = recipient.address();
            rankOfLoadId.put(address.substring(1, address.indexOf('@')), rank);
        }
        return rankOfLoadId;
    }

    private static void awaitDrained(MessageStore store, LoadSink sink, int messages) throws Exception {
        // Generous: the endurance run drains 100,000 at a couple of hundred a second.
        long deadline = System.nanoTime() + Duration.ofSeconds(120 + messages / 20).toNanos();
        while (sink.deliveryCount() < messages || !store.list().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("drain incomplete: " + sink.deliveryCount() + " of " + messages + " delivered");
            }
            Thread.sleep(sink.deliveryCount() < messages ? 200 : 50);
        }
    }

    private static void assertDeliveredOnce(List<LoadSink.Delivery> deliveries, Map<String, Integer> rankOfLoadId) {
        Map<String, Integer> times = new HashMap<>();
        for (LoadSink.Delivery delivery : deliveries) {
            times.merge(delivery.loadId(), 1, Integer::sum);
        }
        assertThat(times.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).limit(20).toList())
                .as("delivered more than once").isEmpty();
        assertThat(rankOfLoadId.keySet().stream().filter(id -> !times.containsKey(id)).limit(20).toList())
                .as("never delivered").isEmpty();
        assertThat(times.keySet().stream().filter(id -> !rankOfLoadId.containsKey(id)).limit(20).toList())
                .as("delivered but not in the backlog").isEmpty();
    }
}
