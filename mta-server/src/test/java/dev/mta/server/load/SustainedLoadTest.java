package dev.mta.server.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.server.Scrapes;
import dev.mta.server.TestRelay;
import dev.mta.testsupport.dns.TestDnsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9: 500 client sessions and 200 outbound connections held at once, for as long as
 * {@code -Dload.duration} says (an ISO-8601 duration; PT20S in the normal suite, PT5M in
 * .ci/endurance). The relay runs in this JVM on loopback; the clients are real SMTP sessions, one
 * virtual thread each, that send a message every few seconds over their kept-open session; the
 * receiver holds each end of data for a few seconds, as a slow MX does, so the relay keeps its
 * 200 outbound connections busy, spread over 100 destination domains (10 per domain at most).
 *
 * <p>Every few seconds the test samples what the process holds (file descriptors, OS threads,
 * heap after a full collection, resident memory) and the sessions open on both sides, prints the
 * table, and checks: no client got an unexpected reply, both targets were reached and held, the
 * second half of the run holds no more than the first half did (with a margin), and every message
 * the relay accepted reached the receiver exactly once.
 */
class SustainedLoadTest {
    private static final int SESSIONS = 500;
    private static final int OUTBOUND = 200;
    private static final int DOMAINS = 100;
    private static final int PER_DESTINATION = 10;
    /**
     * How long the receiver holds the end of data: the relay's outbound capacity is then
     * OUTBOUND / HOLD = 50 messages a second. The sessions send a little more than that (500
     * sessions, one message per 9 s on average: about 55 a second), so the relay's connections
     * stay busy while a small backlog builds, which drains once the clients stop.
     */
    private static final Duration HOLD = Duration.ofSeconds(4);
    private static final Duration MEAN_PAUSE = Duration.ofSeconds(9);

    @TempDir
    Path dir;

    @Test
    void fiveHundredSessionsAndTwoHundredOutboundConnectionsHeldWithSteadyResources() throws Exception {
        Duration duration = Duration.parse(System.getProperty("load.duration", "PT20S"));
        Duration interval = clamp(duration.dividedBy(60), Duration.ofSeconds(1), Duration.ofSeconds(5));
        try (QuietLogs logs = new QuietLogs();
                TestDnsServer dns = TestDnsServer.start();
                LoadSink sink = LoadSink.onLoopback()) {
            for (int d = 0; d < DOMAINS; d++) {
                dns.zone("d" + d + ".load.test").mx("d" + d + ".load.test", 10, "mx.d" + d + ".load.test")
                        .a("mx.d" + d + ".load.test", "127.0.0.1");
            }
            sink.holdEndOfData(HOLD);
            try (TestRelay relay = TestRelay.in(dir)
                    .deliveringThrough(dns.port(), sink.port())
                    .option("smtp.listeners.submission.enabled", "false")
                    .option("smtp.listeners.submissions.enabled", "false")
                    .option("smtp.max-connections", String.valueOf(SESSIONS * 2))
                    .option("smtp.max-connections-per-client", String.valueOf(SESSIONS * 2))
                    .option("delivery.max-connections", String.valueOf(OUTBOUND))
                    .option("delivery.max-connections-per-destination", String.valueOf(PER_DESTINATION))
                    .start()) {
                Set<String> accepted = ConcurrentHashMap.newKeySet();
                Queue<String> clientErrors = new ConcurrentLinkedQueue<>();
                CountDownLatch allOpen = new CountDownLatch(SESSIONS);
                List<SubmittingSession> sessions = new ArrayList<>();
                List<Thread> threads = new ArrayList<>();
                long start = System.nanoTime();
                for (int s = 0; s < SESSIONS; s++) {
                    int session = s;
                    SubmittingSession client = new SubmittingSession(s, relay.port("relay"), MEAN_PAUSE,
                            n -> "rcpt" + n + "@d" + ((session * 7 + n) % DOMAINS) + ".load.test",
                            accepted, clientErrors, allOpen::countDown);
                    sessions.add(client);
                    threads.add(Thread.ofVirtual().name("load-client-" + s).start(client));
                }
                assertThat(allOpen.await(60, TimeUnit.SECONDS)).as("all %d sessions greeted: %s", SESSIONS, clientErrors).isTrue();

                List<Sample> samples = new ArrayList<>();
                long end = start + duration.toNanos();
                while (System.nanoTime() < end && clientErrors.isEmpty()) {
                    Thread.sleep(Math.min(interval.toMillis(), Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                    samples.add(Sample.take(relay, sink, start, accepted.size()));
                }
                sessions.forEach(SubmittingSession::stop);
                for (Thread thread : threads) {
                    thread.join(Duration.ofSeconds(90));
                }
                System.out.println(Sample.table("sustained load, " + duration + ", " + SESSIONS + " sessions, "
                        + OUTBOUND + " outbound", samples));
                assertThat(clientErrors).as("replies other than a healthy relay's").isEmpty();

                // The backlog of the last seconds leaves at full speed once the receiver stops holding.
                sink.holdEndOfData(Duration.ZERO);
                long drainDeadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (sink.deliveryCount() < accepted.size() && System.nanoTime() < drainDeadline) {
                    Thread.sleep(100);
                }
                Thread.sleep(500); // a duplicate would arrive about now
                System.out.printf("accepted %d messages, delivered %d (%.1f/s over the run); %s%n",
                        accepted.size(), sink.deliveryCount(), accepted.size() / seconds(System.nanoTime() - start),
                        logs.counts());

                assertDeliveredExactlyOnce(accepted, sink);
                assertHeld(samples);
                assertSteady(samples);
                assertThat(sink.protocolErrors()).isEmpty();
                assertThat(logs.errors()).as("errors logged").isEmpty();
            }
        }
    }

    private static void assertDeliveredExactlyOnce(Set<String> accepted, LoadSink sink) {
        Map<String, Integer> times = new HashMap<>();
        for (LoadSink.Delivery delivery : sink.deliveries()) {
            times.merge(delivery.loadId(), 1, Integer::sum);
        }
        List<String> missing = accepted.stream().filter(id -> !times.containsKey(id)).limit(20).toList();
        List<String> twice = times.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).limit(20).toList();
        List<String> unknown = times.keySet().stream().filter(id -> !accepted.contains(id)).limit(20).toList();
        assertThat(missing).as("accepted but never delivered").isEmpty();
        assertThat(twice).as("delivered more than once").isEmpty();
        assertThat(unknown).as("delivered but never accepted").isEmpty();
    }

    /**
     * Both targets reached, and held from then on: the client sessions never drop (each is one
     * kept-open connection), and the outbound connections stay at the target in nearly every
     * sample (a sample can fall between one attempt ending and the next starting).
     */
    private static void assertHeld(List<Sample> samples) {
        List<Sample> held = holding(samples);
        assertThat(held).as("samples after both targets were reached").hasSizeGreaterThanOrEqualTo(4);
        assertThat(held).allSatisfy(s -> assertThat(s.inbound()).as("inbound sessions at %ss", s.second()).isGreaterThanOrEqualTo(SESSIONS));
        long full = held.stream().filter(s -> s.outbound() >= OUTBOUND).count();
        assertThat(full).as("samples with %d outbound connections, of %d", OUTBOUND, held.size())
                .isGreaterThanOrEqualTo(Math.round(held.size() * 0.8));
        assertThat(held).allSatisfy(s -> assertThat(s.outbound()).as("outbound at %ss", s.second())
                .isGreaterThanOrEqualTo(OUTBOUND * 3 / 4));
    }

    /**
     * Nothing grows: the second half of the held samples needs no more file descriptors, threads
     * or live heap than the first half did, within a margin for what a moment's traffic holds
     * (a connection opening, a buffer, a collection's timing).
     */
    private static void assertSteady(List<Sample> samples) {
        List<Sample> held = holding(samples);
        List<Sample> first = held.subList(0, held.size() / 2);
        List<Sample> second = held.subList(held.size() / 2, held.size());
        assertThat(max(second, Sample::fds)).as("file descriptors, second half vs first")
                .isLessThanOrEqualTo(max(first, Sample::fds) * 11 / 10 + 20);
        assertThat(max(second, Sample::threads)).as("threads, second half vs first")
                .isLessThanOrEqualTo(max(first, Sample::threads) * 11 / 10 + 5);
        assertThat(max(second, Sample::heapMb)).as("MB of heap after GC, second half vs first")
                .isLessThanOrEqualTo(max(first, Sample::heapMb) * 5 / 4 + 16);
    }

    /** The samples from the first one with both targets reached. */
    private static List<Sample> holding(List<Sample> samples) {
        for (int i = 0; i < samples.size(); i++) {
            if (samples.get(i).inbound() >= SESSIONS && samples.get(i).outbound() >= OUTBOUND) {
                return samples.subList(i, samples.size());
            }
        }
        throw new AssertionError("never " + SESSIONS + " sessions and " + OUTBOUND + " outbound connections at once");
    }

    private static long max(List<Sample> samples, java.util.function.ToLongFunction<Sample> field) {
        return samples.stream().mapToLong(field).max().orElse(0);
    }

    private static Duration clamp(Duration value, Duration min, Duration max) {
        return value.compareTo(min) < 0 ? min : value.compareTo(max) > 0 ? max : value;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** One look at the process and both sides of the relay. */
    record Sample(long second, int inbound, int outbound, int relayInUse, int fds, int threads, long heapMb,
            long rssMb, int accepted, int delivered) {

        static Sample take(TestRelay relay, LoadSink sink, long start, int accepted) {
            String scrape = relay.metrics().scrape();
            return new Sample((System.nanoTime() - start) / 1_000_000_000,
                    (int) Scrapes.value(scrape, "mta_smtp_connections_active{listener=\"relay\"}"),
                    sink.openConnections(),
                    (int) Scrapes.value(scrape, "mta_delivery_connections{state=\"in-use\"}"),
                    ProcessResources.openFileDescriptors(), ProcessResources.threads(),
                    ProcessResources.heapAfterGcBytes() >> 20, ProcessResources.residentBytes() >> 20,
                    accepted, sink.deliveryCount());
        }

        static String table(String title, List<Sample> samples) {
            StringBuilder out = new StringBuilder(title).append('\n')
                    .append(String.format("%6s %8s %8s %8s %6s %7s %8s %7s %8s %9s%n", "second", "inbound",
                            "outbound", "in-use", "fds", "threads", "heap-MB", "rss-MB", "accepted", "delivered"));
            for (Sample s : samples) {
                out.append(String.format("%6d %8d %8d %8d %6d %7d %8d %7d %8d %9d%n", s.second(), s.inbound(),
                        s.outbound(), s.relayInUse(), s.fds(), s.threads(), s.heapMb(), s.rssMb(), s.accepted(),
                        s.delivered()));
            }
            return out.toString();
        }
    }
}
