package dev.mta.delivery.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.testsupport.smtp.ConnectionLog;
import dev.mta.testsupport.smtp.ReplyPoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-destination limit counts a connection until it is closed, not only while its message
 * is sent: a receiver slow to answer QUIT must never see more connections from the relay than
 * the limit (found by the 100,000-message backlog test, where a receiver saw 3 for a limit of 2).
 */
class DestinationLimitTest {
    @TempDir
    Path dir;

    @Test
    void aConnectionWaitingForItsQuitReplyStillCountsAgainstTheDestinationLimit() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().limits(10, 1).start(dir)) {
            relay.mx1().delay(ReplyPoint.QUIT, Duration.ofMillis(400));
            for (int i = 0; i < 4; i++) {
                relay.queue("alice@sender.example", "user" + i + "@example.org");
            }
            AtomicBoolean sampling = new AtomicBoolean(true);
            AtomicInteger mostOpen = new AtomicInteger();
            Thread sampler = Thread.ofPlatform().start(() -> {
                while (sampling.get()) {
                    int open = (int) relay.mx1().connections().stream().filter(c -> !c.closed()).count();
                    mostOpen.accumulateAndGet(open, Math::max);
                    Thread.onSpinWait();
                }
            });
            try {
                assertThat(relay.pass()).isEqualTo(4);
            } finally {
                sampling.set(false);
                sampler.join();
            }

            assertThat(relay.mx1().messages()).hasSize(4);
            assertThat(relay.mx1().connections()).hasSize(4).allMatch(ConnectionLog::quitReceived);
            assertThat(mostOpen.get()).as("connections open at once to example.org").isEqualTo(1);
        }
    }
}
