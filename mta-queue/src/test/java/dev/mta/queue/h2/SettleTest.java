package dev.mta.queue.h2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.Attempt;
import dev.mta.queue.ClaimedRecipient;
import dev.mta.queue.Diagnosis;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientRef;
import dev.mta.queue.RecipientState;
import dev.mta.queue.RecipientStatus;
import dev.mta.queue.Settlement;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettleTest {
    private static final Instant NOW = Queueing.NOW;
    private static final Duration LEASE = Duration.ofMinutes(5);

    @TempDir
    Path data;
    H2MessageStore store;
    QueueId id;
    RecipientRef bob;
    RecipientRef carol;

    @BeforeEach
    void queueOneMessageForTwo() throws Exception {
        store = H2MessageStore.open(Queueing.settings(data));
        id = Queueing.queue(store, Envelopes.to("bob@example.net", "carol@example.com"), Queueing.body(1));
        bob = new RecipientRef(id, 0);
        carol = new RecipientRef(id, 1);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void onlyTheLeaseHolderMaySettle() throws Exception {
        store.claimDue(NOW, 10, "worker-1", LEASE);

        assertThat(store.settle(bob, "worker-2", Outcomes.delivered("250 ok"))).isFalse();
        assertThat(status(0).state()).isEqualTo(RecipientState.QUEUED);
        assertThat(status(0).attempts()).isZero();
        assertThat(store.attempts(id)).isEmpty();
    }

    @Test
    void aRecipientThatWasNeverClaimedCannotBeSettled() throws Exception {
        assertThat(store.settle(bob, "worker-1", Outcomes.delivered("250 ok"))).isFalse();
    }

    @Test
    void aWorkerWhoseExpiredLeaseWasTakenOverCannotSettle() throws Exception {
        store.claimDue(NOW, 10, "slow-worker", LEASE);
        store.claimDue(NOW.plus(LEASE), 10, "worker-2", LEASE);

        assertThat(store.settle(bob, "slow-worker", Outcomes.delivered("250 ok"))).isFalse();
        assertThat(store.settle(bob, "worker-2", Outcomes.delivered("250 ok"))).isTrue();
    }

    @Test
    void aDeferredRecipientWaitsForItsNextAttemptWithTheReplyKept() throws Exception {
        store.claimDue(NOW, 10, "worker-1", LEASE);
        Instant retry = NOW.plus(Duration.ofMinutes(15));

        assertThat(store.settle(bob, "worker-1", Outcomes.deferred("451 4.7.1 greylisted", retry))).isTrue();

        assertThat(status(0)).isEqualTo(new RecipientStatus(0, "bob@example.net", RecipientState.DEFERRED, 1,
                Optional.of(retry), Optional.of(NOW), Optional.of(Outcomes.reply("451 4.7.1 greylisted")),
                Optional.empty(), false));
        assertThat(store.claimDue(retry.minusMillis(1), 10, "worker-2", LEASE))
                .extracting(ClaimedRecipient::ref).doesNotContain(bob);
        assertThat(store.claimDue(retry, 10, "worker-2", LEASE))
                .extracting(ClaimedRecipient::ref, ClaimedRecipient::attempts)
                .contains(org.assertj.core.groups.Tuple.tuple(bob, 1));
    }

    @Test
    void aDeliveredRecipientIsSettledWhileTheOthersStayQueued() throws Exception {
        store.claimDue(NOW, 10, "worker-1", LEASE);

        store.settle(bob, "worker-1", Outcomes.delivered("250 2.0.0 queued as 42"));

        assertThat(status(0)).isEqualTo(new RecipientStatus(0, "bob@example.net", RecipientState.DELIVERED, 1,
                Optional.empty(), Optional.of(NOW), Optional.of(Outcomes.reply("250 2.0.0 queued as 42")),
                Optional.empty(), false));
        assertThat(status(1).state()).isEqualTo(RecipientState.QUEUED);
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void aSettledRecipientCannotBeSettledAgain() throws Exception {
        store.claimDue(NOW, 10, "worker-1", LEASE);
        store.settle(bob, "worker-1", Outcomes.bounced("550 5.1.1 no such user"));

        assertThat(store.settle(bob, "worker-1", Outcomes.delivered("250 ok"))).isFalse();
        assertThat(status(0).state()).isEqualTo(RecipientState.BOUNCED);
    }

    @Test
    void everySettledAttemptIsWrittenToTheHistory() throws Exception {
        store.claimDue(NOW, 10, "worker-1", LEASE);
        store.settle(bob, "worker-1", Outcomes.deferred("421 4.4.2 timeout", NOW.plusSeconds(60)));
        store.claimDue(NOW.plusSeconds(60), 10, "worker-2", LEASE);
        store.settle(bob, "worker-2", Outcomes.delivered("250 ok"));

        assertThat(store.attempts(id)).containsExactly(
                new Attempt(bob, NOW, "worker-1", RecipientState.DEFERRED, Outcomes.reply("421 4.4.2 timeout")),
                new Attempt(bob, NOW, "worker-2", RecipientState.DELIVERED, Outcomes.reply("250 ok")));
        assertThat(status(0).attempts()).isEqualTo(2);
    }

    @Test
    void theDiagnosisIsKeptAsTheRecipientsLastAndInTheHistoryWithOrWithoutARemoteMta() throws Exception {
        store.claimDue(NOW, 10, "worker-1", LEASE);
        Diagnosis local = Diagnosis.local("4.4.1", "connect to mx.example.net[192.0.2.25]:25: Connection refused");
        Diagnosis remote = Diagnosis.remote("5.7.1", "554-5.7.1 rejected\r\n554 5.7.1 policy", "mx.example.com");
        store.settle(bob, "worker-1", new Settlement.Deferred(local, NOW.plusSeconds(300)));
        store.settle(carol, "worker-1", new Settlement.Bounced(remote, false));

        assertThat(status(0).diagnosis()).contains(local);
        assertThat(status(0).lastAttempt()).contains(NOW);
        assertThat(store.attempts(id)).extracting(Attempt::recipient, Attempt::diagnosis).containsExactly(
                org.assertj.core.groups.Tuple.tuple(bob, local),
                org.assertj.core.groups.Tuple.tuple(carol, new Diagnosis("5.7.1", "554-5.7.1 rejected 554 5.7.1 policy",
                        Optional.of("mx.example.com"))));
    }

    @Test
    void theMessageAndItsBodyAreRemovedOnceEveryRecipientIsSettled() throws Exception {
        store.claimDue(NOW, 10, "worker-1", LEASE);
        store.settle(bob, "worker-1", Outcomes.delivered("250 ok"));
        assertThat(data.resolve("queue/bodies").resolve(id.value())).exists();

        store.settle(carol, "worker-1", Outcomes.bounced("550 5.1.1 unknown"));

        assertThat(store.find(id)).isEmpty();
        assertThat(store.list()).isEmpty();
        assertThat(store.attempts(id)).isEmpty();
        assertThat(data.resolve("queue/bodies").resolve(id.value())).doesNotExist();
    }

    @Test
    void twoWorkersSettlingTheLastTwoRecipientsAtOnceRemoveTheMessage() throws Exception {
        for (int round = 0; round < 10; round++) {
            QueueId message = Queueing.queue(store, Envelopes.to("x@example.net", "y@example.net"), Queueing.body(round));
            Instant now = NOW.plusSeconds(round);
            List<ClaimedRecipient> claimed = store.claimDue(now, 10, "claimer-" + round, LEASE).stream()
                    .filter(c -> c.ref().message().equals(message)).toList();
            assertThat(claimed).hasSize(2);
            String owner = "claimer-" + round;

            CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> settle(claimed.get(0).ref(), owner));
            CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> settle(claimed.get(1).ref(), owner));

            assertThat(first.get()).isTrue();
            assertThat(second.get()).isTrue();
            assertThat(store.find(message)).as("message of round " + round).isEmpty();
            assertThat(data.resolve("queue/bodies").resolve(message.value())).doesNotExist();
        }
    }

    @Test
    void settlementsShareTheDurableSync() throws Exception {
        store.claimDue(NOW, 10, "worker-1", LEASE);
        long before = store.syncRequests();

        store.settle(bob, "worker-1", Outcomes.delivered("250 ok"));

        assertThat(store.syncRequests()).isEqualTo(before + 1);
    }

    private boolean settle(RecipientRef ref, String owner) {
        try {
            return store.settle(ref, owner, Outcomes.delivered("250 ok"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private RecipientStatus status(int index) throws Exception {
        return store.find(id).orElseThrow().recipients().get(index);
    }
}
