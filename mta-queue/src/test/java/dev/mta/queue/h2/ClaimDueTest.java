package dev.mta.queue.h2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.ClaimedRecipient;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientRef;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClaimDueTest {
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
    void aClaimCarriesTheEnvelopeTheRecipientItsAttemptsAndTheLeaseExpiry() throws Exception {
        QueueId id = Queueing.queue(store, Envelopes.to("bob@example.net", "carol@example.com"), Queueing.body(1));

        List<ClaimedRecipient> claimed = store.claimDue(NOW, 10, "worker-1", LEASE);

        assertThat(claimed).hasSize(2);
        ClaimedRecipient carol = claimed.stream().filter(c -> c.ref().index() == 1).findFirst().orElseThrow();
        assertThat(carol.ref()).isEqualTo(new RecipientRef(id, 1));
        assertThat(carol.recipient().address()).isEqualTo("carol@example.com");
        assertThat(carol.envelope()).isEqualTo(Envelopes.to("bob@example.net", "carol@example.com"));
        assertThat(carol.attempts()).isZero();
        assertThat(carol.leaseExpires()).isEqualTo(NOW.plus(LEASE));
    }

    @Test
    void recipientsWhoseNextAttemptHasNotComeAreNotClaimed() throws Exception {
        QueueId id = Queueing.queue(store, Envelopes.to("bob@example.net"), Queueing.body(1));
        RecipientRef bob = new RecipientRef(id, 0);
        store.claimDue(NOW, 1, "worker-1", LEASE);
        store.settle(bob, "worker-1", Outcomes.deferred("451 4.7.1 try later", NOW.plusSeconds(600)));

        assertThat(store.claimDue(NOW.plusSeconds(599), 10, "worker-2", LEASE)).isEmpty();
        assertThat(store.claimDue(NOW.plusSeconds(600), 10, "worker-2", LEASE))
                .extracting(ClaimedRecipient::ref).containsExactly(bob);
    }

    @Test
    void theEarliestDueAreClaimedFirstUpToTheLimit() throws Exception {
        List<RecipientRef> dueOrder = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            dueOrder.add(new RecipientRef(Queueing.queue(store, Envelopes.to("r" + i + "@example.net"), Queueing.body(i)), 0));
        }
        // Defer them so that the last queued becomes due first.
        store.claimDue(NOW, 10, "setup", LEASE);
        for (int i = 0; i < 4; i++) {
            store.settle(dueOrder.get(i), "setup", Outcomes.deferred("451 later", NOW.plusSeconds(100 - i)));
        }

        List<ClaimedRecipient> claimed = store.claimDue(NOW.plusSeconds(200), 3, "worker-1", LEASE);

        assertThat(claimed).extracting(ClaimedRecipient::ref)
                .containsExactly(dueOrder.get(3), dueOrder.get(2), dueOrder.get(1));
    }

    @Test
    void aLeasedRecipientIsNotClaimedAgainWhileTheLeaseLives() throws Exception {
        Queueing.queue(store, Envelopes.to("bob@example.net"), Queueing.body(1));
        assertThat(store.claimDue(NOW, 10, "worker-1", LEASE)).hasSize(1);

        assertThat(store.claimDue(NOW.plus(LEASE).minusMillis(1), 10, "worker-2", LEASE)).isEmpty();
    }

    @Test
    void anExpiredLeaseMakesTheRecipientClaimableAgain() throws Exception {
        QueueId id = Queueing.queue(store, Envelopes.to("bob@example.net"), Queueing.body(1));
        store.claimDue(NOW, 10, "crashed-worker", LEASE);

        List<ClaimedRecipient> reclaimed = store.claimDue(NOW.plus(LEASE), 10, "worker-2", LEASE);

        assertThat(reclaimed).extracting(ClaimedRecipient::ref).containsExactly(new RecipientRef(id, 0));
        assertThat(reclaimed.getFirst().leaseExpires()).isEqualTo(NOW.plus(LEASE).plus(LEASE));
    }

    @Test
    void concurrentClaimersNeverGetTheSameRecipient() throws Exception {
        int recipients = 0;
        for (int m = 0; m < 20; m++) {
            Queueing.queue(store, Envelopes.to("a" + m + "@example.net", "b" + m + "@example.net", "c" + m + "@example.net"),
                    Queueing.body(m));
            recipients += 3;
        }
        List<Future<List<ClaimedRecipient>>> claimers = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            for (int w = 0; w < 8; w++) {
                String owner = "worker-" + w;
                claimers.add(threads.submit(() -> {
                    List<ClaimedRecipient> mine = new ArrayList<>();
                    for (int round = 0; round < 10; round++) {
                        mine.addAll(store.claimDue(NOW, 3, owner, LEASE));
                    }
                    return mine;
                }));
            }
        }
        List<RecipientRef> all = new ArrayList<>();
        for (Future<List<ClaimedRecipient>> claimer : claimers) {
            claimer.get().forEach(c -> all.add(c.ref()));
        }
        Set<RecipientRef> distinct = new HashSet<>(all);

        assertThat(all).hasSameSizeAs(distinct);
        assertThat(distinct).hasSize(recipients);
    }
}
