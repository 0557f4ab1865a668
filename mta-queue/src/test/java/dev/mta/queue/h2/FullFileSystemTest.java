package dev.mta.queue.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mta.queue.ClaimedRecipient;
import dev.mta.queue.MessageSummary;
import dev.mta.queue.QueueId;
import dev.mta.queue.StoreException;
import dev.mta.testsupport.fs.Tmpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A file system that really fills to the last block, filled by someone else than the relay (a
 * tmpfs of its own, so the machine's disk is never touched). Needs root to mount it; skipped
 * otherwise, except under ./test ({@code mta.test.tools-required}), which runs as root in CI.
 */
class FullFileSystemTest {
    private static final long MIB = 1024 * 1024;
    private static final Duration LEASE = Duration.ofMinutes(5);

    private Tmpfs disk;
    private Path data;

    @BeforeEach
    void mount() throws Exception {
        Optional<String> unavailable = Tmpfs.unavailable();
        if (Boolean.getBoolean("mta.test.tools-required")) {
            assertThat(unavailable).as("CI runs ./test as root, which can mount a tmpfs").isEmpty();
        }
        assumeTrue(unavailable.isEmpty(), unavailable.orElse(""));
        disk = Tmpfs.mount(24 * MIB);
        data = disk.path().resolve("data");
    }

    @AfterEach
    void unmount() throws Exception {
        if (disk != null) {
            disk.close();
        }
    }

    @Test
    void whenAnotherProcessTakesTheLastBlockQueuedMailIsStillDeliveredAndNewMailWaitsForSpace() throws Exception {
        H2StoreSettings settings = Queueing.settings(data).withMinFreeBytes(2 * MIB).withReserveBytes(4 * MIB);
        try (H2MessageStore store = H2MessageStore.open(settings)) {
            Path reserve = data.resolve("queue/space.reserve");
            assertThat(reserve).hasSize(4 * MIB);
            List<QueueId> queued = queue(store, 5);

            Path filler = disk.fill("filler");
            assertThat(disk.usableBytes()).isZero();

            assertThatThrownBy(store::receive)
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.isResourceShortage()).isTrue());
            assertThat(store.list()).extracting(MessageSummary::id).containsExactlyInAnyOrderElementsOf(queued);
            assertThat(reserve).as("released to settle in").doesNotExist();

            List<ClaimedRecipient> claimed = store.claimDue(Queueing.NOW.plusSeconds(60), 10, "worker", LEASE);
            assertThat(claimed).hasSize(5);
            for (ClaimedRecipient recipient : claimed) {
                assertThat(store.settle(recipient.ref(), "worker", Outcomes.delivered("250 2.0.0 Ok"))).isTrue();
            }
            assertThat(store.list()).isEmpty();

            Files.delete(filler);
            QueueId later = Queueing.queue(store, Envelopes.to("later@example.net"), Queueing.body(9));
            assertThat(store.list()).extracting(MessageSummary::id).containsExactly(later);
            assertThat(reserve).as("written again once there is room").hasSize(4 * MIB);
        }
    }

    /**
     * Without a reserve the database runs into the full disk, and H2 closes it. Nothing is lost:
     * the settlement fails (the recipient stays leased, to be tried again), and once space
     * returns the same store settles, syncs and accepts again without a restart.
     */
    @Test
    void withoutAReserveAFullDiskStopsTheQueueUntilSpaceReturnsAndLosesNothing() throws Exception {
        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data).withMinFreeBytes(2 * MIB))) {
            List<QueueId> queued = queue(store, 3);
            List<ClaimedRecipient> claimed = store.claimDue(Queueing.NOW.plusSeconds(60), 10, "worker", LEASE);
            Path filler = disk.fill("filler");

            assertThatThrownBy(() -> settleAll(store, claimed))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.isResourceShortage()).isTrue());

            Files.delete(filler);
            assertThat(store.list()).extracting(MessageSummary::id).containsAll(queued);
            List<ClaimedRecipient> again = store.claimDue(Queueing.NOW.plus(LEASE).plusSeconds(60), 10, "worker", LEASE);
            settleAll(store, again);
            QueueId later = Queueing.queue(store, Envelopes.to("later@example.net"), Queueing.body(9));
            assertThat(store.list()).extracting(MessageSummary::id).containsExactly(later);
        }
        try (H2MessageStore reopened = H2MessageStore.open(Queueing.settings(data).withMinFreeBytes(2 * MIB))) {
            assertThat(reopened.list()).hasSize(1);
        }
    }

    private static void settleAll(H2MessageStore store, List<ClaimedRecipient> claimed) throws StoreException {
        for (ClaimedRecipient recipient : claimed) {
            store.settle(recipient.ref(), "worker", Outcomes.delivered("250 2.0.0 Ok"));
        }
    }

    private static List<QueueId> queue(H2MessageStore store, int count) throws StoreException {
        List<QueueId> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(Queueing.queue(store, Envelopes.to("rcpt" + i + "@example.net"), Queueing.body(i)));
        }
        return ids;
    }
}
