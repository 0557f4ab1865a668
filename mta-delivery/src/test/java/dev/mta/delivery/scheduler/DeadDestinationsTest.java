package dev.mta.delivery.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientState;
import dev.mta.queue.RecipientStatus;
import dev.mta.testsupport.smtp.ReplyPoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A destination whose server takes connections but never greets: after the first attempt times
 * out, the rest of its claimed mail is deferred at once ("delivery temporarily suspended"), so
 * the claim window frees up and another domain's mail goes without waiting out a timeout per
 * dead recipient. After the suspension the destination is tried again.
 */
class DeadDestinationsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final String DEAD = "dead.example";
    private static final String HEALTHY = "healthy.example";

    @TempDir
    Path dir;

    @Test
    void mailClaimedForADeadDestinationIsDeferredAtOnceAndOtherMailIsNotHeldUp() throws Exception {
        // Two connections, one per destination: the claim window is 2 x 4 = 8 recipients.
        try (DeliveryHarness relay = DeliveryHarness.builder().smtpTimeout(TIMEOUT).limits(2, 1)
                .pollInterval(Duration.ofHours(1))
                .zones(h -> {
                    h.dns.zone(DEAD).mx(DEAD, 10, "mx." + DEAD).a("mx." + DEAD, h.mx1Address);
                    h.dns.zone(HEALTHY).mx(HEALTHY, 10, "mx." + HEALTHY).a("mx." + HEALTHY, h.senderMxAddress);
                })
                .start(dir)) {
            relay.mx1().delay(ReplyPoint.GREETING, Duration.ofHours(1));
            List<QueueId> dead = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                dead.add(relay.queue("alice@sender.example", "user" + i + "@" + DEAD));
            }
            // Queued a second later, so every dead recipient is due before it.
            relay.clock.advance(Duration.ofSeconds(1));
            relay.queue("alice@sender.example", "bob@" + HEALTHY);
            long started = System.nanoTime();

            relay.service.start();

            // Without the suspension: 12 greeting timeouts one after the other before bob is claimed.
            assertThat(relay.senderMx().awaitMessages(1, TIMEOUT.multipliedBy(5))).singleElement()
                    .satisfies(m -> assertThat(m.recipients()).containsExactly("bob@" + HEALTHY));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT.multipliedBy(5));
            awaitAllDeferred(relay, dead);
            assertThat(relay.mx1().connectionCount()).as("one real attempt at the dead destination").isEqualTo(1);
            long suspended = 0;
            for (QueueId id : dead) {
                RecipientStatus recipient = relay.store.find(id).orElseThrow().recipients().getFirst();
                assertThat(recipient.diagnosis().orElseThrow().status()).isEqualTo("4.4.1");
                if (recipient.diagnosis().orElseThrow().text().startsWith("delivery temporarily suspended: timeout in the greeting stage")) {
                    suspended++;
                }
            }
            assertThat(suspended).isEqualTo(dead.size() - 1);
            assertThat(relay.service.recipientsInFlight()).isZero();

            // The destination comes back; after the suspension and the retry time its mail goes.
            relay.mx1().resetReplies();
            relay.clock.advance(Duration.ofMinutes(10));
            relay.service.wake();
            relay.mx1().awaitMessages(dead.size(), Duration.ofSeconds(30));
        }
    }

    private static void awaitAllDeferred(DeliveryHarness relay, List<QueueId> ids) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (QueueId id : ids) {
            while (relay.store.find(id).orElseThrow().recipients().getFirst().state() != RecipientState.DEFERRED) {
                assertThat(System.nanoTime()).as("%s deferred", id).isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }
}
