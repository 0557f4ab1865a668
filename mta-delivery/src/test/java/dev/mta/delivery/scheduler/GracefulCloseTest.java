package dev.mta.delivery.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.MessageSummary;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientState;
import dev.mta.testsupport.smtp.ReplyPoint;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping delivery: attempts under way finish within the grace period, or are abandoned, never marked delivered. */
class GracefulCloseTest {
    @TempDir
    Path dir;

    private static void awaitInFlight(DeliveryHarness relay) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (relay.service.attemptsInFlight() == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no attempt started");
            }
            Thread.sleep(5);
        }
    }

    @Test
    void anAttemptUnderWayFinishesWithinTheGracePeriod() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().start(dir)) {
            relay.mx1().delay(ReplyPoint.END_OF_DATA, Duration.ofMillis(700));
            QueueId id = relay.queue("alice@sender.example", "bob@example.org");
            relay.service.start();
            awaitInFlight(relay);

            relay.service.close(Duration.ofSeconds(20));

            assertThat(relay.service.attemptsInFlight()).isZero();
            assertThat(relay.mx1().messages()).hasSize(1);
            assertThat(relay.store.find(id)).as("delivered and settled, so gone from the queue").isEmpty();
        }
    }

    @Test
    void anAttemptStillRunningWhenTheGracePeriodEndsStaysQueuedAndIsNotMarkedDelivered() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().start(dir)) {
            relay.mx1().delay(ReplyPoint.END_OF_DATA, Duration.ofSeconds(5));
            QueueId id = relay.queue("alice@sender.example", "bob@example.org");
            relay.service.start();
            awaitInFlight(relay);

            long started = System.nanoTime();
            relay.service.close(Duration.ofMillis(300));

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
            MessageSummary queued = relay.store.list().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
            assertThat(queued.recipients()).allSatisfy(r -> assertThat(r.state()).isNotIn(RecipientState.DELIVERED,
                    RecipientState.BOUNCED));
        }
    }

    @Test
    void claimedWorkNotYetStartedIsLeftForTheNextStart() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().limits(1, 1).start(dir)) {
            relay.mx1().delay(ReplyPoint.END_OF_DATA, Duration.ofMillis(700));
            relay.queue("alice@sender.example", "bob@example.org");
            relay.queue("alice@sender.example", "carol@example.org");
            relay.service.start();
            awaitInFlight(relay);

            relay.service.close(Duration.ofSeconds(20));

            assertThat(relay.mx1().messages()).as("the attempt under way finished, the waiting one never began").hasSize(1);
            assertThat(relay.store.list()).hasSize(1);
            assertThat(relay.store.list().getFirst().recipients()).allSatisfy(r ->
                    assertThat(r.state()).isNotIn(RecipientState.DELIVERED, RecipientState.BOUNCED));
        }
    }
}
