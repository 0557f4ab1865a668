package dev.mta.queue.h2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.ClaimedRecipient;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientState;
import dev.mta.queue.RecipientStatus;
import dev.mta.queue.Selection;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operator actions while delivery workers claim and settle: every action and every settlement
 * completes, and no recipient is both held and handed out.
 */
class OperatorConcurrencyTest {
    private static final Instant NOW = Queueing.NOW;
    private static final Duration LEASE = Duration.ofMinutes(5);

    @TempDir
    Path data;
    H2MessageStore store;

    @BeforeEach
    void open() throws Exception {
        store = H2MessageStore.open(Queueing.settings(data));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void holdsAndReleasesInterleaveWithClaimsAndSettlements() throws Exception {
        List<QueueId> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(Queueing.queue(store, Envelopes.to("a" + i + "@example.net", "b" + i + "@example.com"), Queueing.body(i)));
        }
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                String worker = "worker-" + w;
                work.add(threads.submit(() -> {
                    for (int round = 0; round < 15; round++) {
                        Instant at = NOW.plusSeconds(round);
                        for (ClaimedRecipient claimed : store.claimDue(at, 4, worker, LEASE)) {
                            assertThat(store.find(claimed.ref().message()).orElseThrow().recipients()
                                    .get(claimed.ref().index()).state()).isNotEqualTo(RecipientState.HELD);
                            store.settle(claimed.ref(), worker, Outcomes.deferred("451 4.3.0 later", at));
                        }
                    }
                    return null;
                }));
            }
            work.add(threads.submit(() -> {
                for (int round = 0; round < 15; round++) {
                    store.hold(Selection.all().recipientDomain(round % 2 == 0 ? "example.net" : "example.com"), NOW);
                    store.release(Selection.all(), NOW);
                }
                return null;
            }));
            for (Future<?> future : work) {
                future.get();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(store.list()).hasSize(20);
        assertThat(store.list().stream().flatMap(m -> m.recipients().stream()).map(RecipientStatus::state))
                .doesNotContain(RecipientState.HELD);
    }
}
