package dev.mta.queue.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.mta.queue.ClaimedRecipient;
import dev.mta.queue.QueueChange;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientRef;
import dev.mta.queue.RecipientState;
import dev.mta.queue.RecipientStatus;
import dev.mta.queue.Selection;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Holding, releasing and requeueing recipients, as {@code postsuper -h}, {@code -H} and {@code -r} do. */
class HoldReleaseRequeueTest {
    private static final Instant NOW = Queueing.NOW;
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final Instant RETRY = NOW.plus(Duration.ofHours(1));
    private static final Instant LATER = NOW.plus(Duration.ofMinutes(10));
    private static final Instant FAR = NOW.plus(Duration.ofDays(3));

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
    void heldRecipientsAreNeverClaimedAndKeepTheirScheduleAndAttempts() throws Exception {
        QueueId id = Queueing.queue(store, Envelopes.to("queued@example.net", "deferred@example.net"), Queueing.body(1));
        defer(id, 1);

        QueueChange change = store.hold(Selection.all(), LATER);

        assertThat(change).isEqualTo(new QueueChange(1, 2, List.of()));
        assertThat(recipients(id)).extracting(RecipientStatus::state, RecipientStatus::attempts, RecipientStatus::nextAttempt)
                .containsExactly(
                        tuple(RecipientState.HELD, 0, Optional.of(NOW)),
                        tuple(RecipientState.HELD, 1, Optional.of(RETRY)));
        assertThat(store.claimDue(FAR, 10, "worker-2", LEASE)).isEmpty();
    }

    @Test
    void aLeasedRecipientIsLeftAloneAndReportedUntilItsLeaseRunsOut() throws Exception {
        QueueId id = Queueing.queue(store, Envelopes.to("bob@example.net"), Queueing.body(1));
        store.claimDue(NOW, 10, "worker", LEASE);

        QueueChange whileLeased = store.hold(Selection.all(), NOW.plusSeconds(1));

        assertThat(whileLeased).isEqualTo(new QueueChange(0, 0, List.of(new RecipientRef(id, 0))));
        assertThat(whileLeased.leasedMessages()).containsExactly(id);
        assertThat(recipients(id)).extracting(RecipientStatus::state).containsExactly(RecipientState.QUEUED);

        assertThat(store.hold(Selection.all(), NOW.plus(LEASE))).isEqualTo(new QueueChange(1, 1, List.of()));
        assertThat(recipients(id)).extracting(RecipientStatus::state).containsExactly(RecipientState.HELD);
    }

    @Test
    void heldAndSettledRecipientsAreNotCountedAgain() throws Exception {
        QueueId id = Queueing.queue(store, Envelopes.to("bob@example.net", "carol@example.net"), Queueing.body(1));
        store.claimDue(NOW, 10, "worker", LEASE);
        store.settle(new RecipientRef(id, 0), "worker", Outcomes.bouncedWithNotice("550 5.1.1 unknown"));
        store.settle(new RecipientRef(id, 1), "worker", Outcomes.deferred("451 4.3.0 later", RETRY));
        assertThat(store.hold(Selection.all(), LATER).recipients()).isEqualTo(1);

        assertThat(store.hold(Selection.all(), LATER)).isEqualTo(new QueueChange(0, 0, List.of()));
        assertThat(recipients(id)).extracting(RecipientStatus::state)
                .containsExactly(RecipientState.BOUNCED, RecipientState.HELD);
    }

    @Test
    void onlyTheSelectedRecipientsAreHeld() throws Exception {
        QueueId id = Queueing.queue(store, Envelopes.to("bob@example.net", "carol@example.com"), Queueing.body(1));

        assertThat(store.hold(Selection.all().recipientDomain("example.com"), NOW).recipients()).isEqualTo(1);

        assertThat(store.claimDue(NOW, 10, "worker", LEASE)).extracting(ClaimedRecipient::ref)
                .containsExactly(new RecipientRef(id, 0));
    }

    @Test
    void releaseMakesHeldRecipientsDueAtOnceKeepingAttempts() throws Exception {
        QueueId id = Queueing.queue(store, Envelopes.to("never@example.net", "tried@example.net"), Queueing.body(1));
        defer(id, 1);
        store.hold(Selection.all(), NOW);

        QueueChange change = store.release(Selection.all(), LATER);

        assertThat(change).isEqualTo(new QueueChange(1, 2, List.of()));
        assertThat(recipients(id)).extracting(RecipientStatus::state, RecipientStatus::attempts, RecipientStatus::nextAttempt)
                .as("a recipient never tried is QUEUED again, a tried one DEFERRED")
                .containsExactly(
                        tuple(RecipientState.QUEUED, 0, Optional.of(LATER)),
                        tuple(RecipientState.DEFERRED, 1, Optional.of(LATER)));
        assertThat(store.claimDue(LATER, 10, "worker-2", LEASE)).extracting(ClaimedRecipient::ref, ClaimedRecipient::attempts)
                .containsExactlyInAnyOrder(tuple(new RecipientRef(id, 0), 0), tuple(new RecipientRef(id, 1), 1));
    }

    @Test
    void releaseLeavesRecipientsThatAreNotHeldAlone() throws Exception {
        QueueId id = Queueing.queue(store, Envelopes.to("bob@example.net"), Queueing.body(1));
        defer(id, 0);

        assertThat(store.release(Selection.all(), LATER)).isEqualTo(new QueueChange(0, 0, List.of()));

        assertThat(recipients(id)).extracting(RecipientStatus::nextAttempt).containsExactly(Optional.of(RETRY));
    }

    @Test
    void requeueMakesWaitingAndHeldRecipientsDueNowAndKeepsAttempts() throws Exception {
        QueueId deferred = Queueing.queue(store, Envelopes.to("deferred@example.net"), Queueing.body(1));
        QueueId held = Queueing.queue(store, Envelopes.to("held@example.net"), Queueing.body(2));
        defer(deferred, 0);
        defer(held, 0);
        store.hold(Selection.messages(held), NOW);

        QueueChange change = store.requeue(Selection.all(), LATER);

        assertThat(change).isEqualTo(new QueueChange(2, 2, List.of()));
        assertThat(store.claimDue(LATER, 10, "worker-2", LEASE))
                .extracting(ClaimedRecipient::ref, ClaimedRecipient::attempts)
                .containsExactlyInAnyOrder(tuple(new RecipientRef(deferred, 0), 1), tuple(new RecipientRef(held, 0), 1));
    }

    @Test
    void requeueLeavesLeasedAndSettledRecipientsAlone() throws Exception {
        QueueId id = Queueing.queue(store, Envelopes.to("leased@example.net", "settled@example.net"), Queueing.body(1));
        store.claimDue(NOW, 10, "worker", LEASE);
        store.settle(new RecipientRef(id, 1), "worker", Outcomes.bouncedWithNotice("550 5.1.1 unknown"));

        QueueChange change = store.requeue(Selection.all(), NOW.plusSeconds(1));

        assertThat(change).isEqualTo(new QueueChange(0, 0, List.of(new RecipientRef(id, 0))));
        assertThat(recipients(id)).extracting(RecipientStatus::state)
                .containsExactly(RecipientState.QUEUED, RecipientState.BOUNCED);
    }

    @Test
    void aHoldSurvivesARestartAndIsDurableWhenItReturns() throws Exception {
        QueueId id = Queueing.queue(store, Envelopes.to("bob@example.net"), Queueing.body(1));
        long before = store.syncRequests();

        store.hold(Selection.all(), NOW);

        assertThat(store.syncRequests()).isEqualTo(before + 1);
        store.close();
        store = H2MessageStore.open(Queueing.settings(data));
        assertThat(recipients(id)).extracting(RecipientStatus::state).containsExactly(RecipientState.HELD);
        assertThat(store.claimDue(FAR, 10, "worker", LEASE)).isEmpty();
        store.release(Selection.all(), NOW);
        store.close();
        store = H2MessageStore.open(Queueing.settings(data));
        assertThat(store.claimDue(NOW, 10, "worker", LEASE)).hasSize(1);
    }

    @Test
    void aLateDeferralOfARecipientHeldAfterItsLeaseRanOutKeepsItHeld() throws Exception {
        QueueId id = Queueing.queue(store, Envelopes.to("slow@example.net", "done@example.net"), Queueing.body(1));
        store.claimDue(NOW, 10, "slow-worker", LEASE);
        store.hold(Selection.all(), NOW.plus(LEASE));

        assertThat(store.settle(new RecipientRef(id, 0), "slow-worker", Outcomes.deferred("451 4.3.0 later", RETRY)))
                .isTrue();
        assertThat(store.settle(new RecipientRef(id, 1), "slow-worker", Outcomes.delivered("250 2.0.0 ok"))).isTrue();

        assertThat(recipients(id)).extracting(RecipientStatus::state, RecipientStatus::attempts)
                .as("what happened is recorded, but a deferral does not undo the hold")
                .containsExactly(tuple(RecipientState.HELD, 1), tuple(RecipientState.DELIVERED, 1));
    }

    private void defer(QueueId id, int index) throws Exception {
        List<ClaimedRecipient> claimed = store.claimDue(NOW, 100, "worker", LEASE);
        for (ClaimedRecipient c : claimed) {
            if (c.ref().equals(new RecipientRef(id, index))) {
                store.settle(c.ref(), "worker", Outcomes.deferred("451 4.7.1 greylisted", RETRY));
            } else {
                // Give the others back as they were: a lease that ran out at NOW.
                giveBack(c.ref());
            }
        }
    }

    private void giveBack(RecipientRef ref) throws Exception {
        try (var connection = DirectConnection.open(data);
             var update = connection.prepareStatement(
                     "UPDATE recipient SET lease_owner = NULL, lease_expires = NULL WHERE message_id = ? AND idx = ?")) {
            update.setString(1, ref.message().value());
            update.setInt(2, ref.index());
            update.executeUpdate();
        }
    }

    private List<RecipientStatus> recipients(QueueId id) throws Exception {
        return store.find(id).orElseThrow().recipients();
    }
}
