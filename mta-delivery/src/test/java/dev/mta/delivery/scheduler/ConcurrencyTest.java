package dev.mta.delivery.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.testsupport.smtp.ReplyPoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connections to one destination, and in all, stay within the configured limits. */
class ConcurrencyTest {

    @TempDir
    Path dir;

    /**
     * The most connections open at once while {@code work} runs. Sessions are kept for reuse, so
     * a connection never counts twice while closing: a new one opens only when the limits allow
     * an attempt that finds no idle session.
     */
    private static int busiest(DeliveryHarness relay, Runnable work) throws Exception {
        AtomicInteger most = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        Thread watcher = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                int open = relay.client.openConnections().values().stream().mapToInt(Integer::intValue).sum();
                most.accumulateAndGet(open, Math::max);
                Thread.onSpinWait();
            }
        });
        work.run();
        done.set(true);
        watcher.join();
        return most.get();
    }

    @Test
    void connectionsToOneDestinationStayWithinItsLimit() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().limits(10, 2).reuseIdleTime(Duration.ofSeconds(30)).start(dir)) {
            relay.mx1().delay(ReplyPoint.END_OF_DATA, Duration.ofMillis(150));
            for (int i = 0; i < 8; i++) {
                relay.queue("alice@sender.example", "user" + i + "@example.org");
            }
            int most = busiest(relay, () -> {
                try {
                    relay.pass();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(relay.mx1().messages()).hasSize(8);
            assertThat(most).isEqualTo(2);
        }
    }

    @Test
    void connectionsInAllStayWithinTheTotalLimit() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().limits(3, 3).reuseIdleTime(Duration.ofSeconds(30)).zones(h -> {
            for (int d = 0; d < 6; d++) {
                h.dns.zone("d" + d + ".example").mx("d" + d + ".example", 10, "mx1.example.org");
            }
        }).start(dir)) {
            relay.mx1().delay(ReplyPoint.END_OF_DATA, Duration.ofMillis(150));
            for (int d = 0; d < 6; d++) {
                relay.queue("alice@sender.example", "user@d" + d + ".example");
            }
            int most = busiest(relay, () -> {
                try {
                    relay.pass();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(relay.mx1().messages()).hasSize(6);
            assertThat(most).isEqualTo(3);
        }
    }

    /**
     * The scheduler claims at most four attempts' worth per connection slot; when an attempt
     * ends it looks again at once. With an hour between scans, a backlog of ten over one slot
     * (a claim of four) drains only through those wake-ups.
     */
    @Test
    void aBacklogLargerThanOneClaimDrainsWithoutWaitingForTheNextScan() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().limits(1, 1).pollInterval(Duration.ofHours(1)).start(dir)) {
            for (int i = 0; i < 10; i++) {
                relay.queue("alice@sender.example", "user" + i + "@example.org");
            }
            relay.service.start();
            relay.mx1().awaitMessages(10, Duration.ofSeconds(30));
            assertThat(relay.mx1().messages()).hasSize(10);
        }
    }
}
