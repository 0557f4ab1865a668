package dev.mta.queue.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.mta.queue.Attempt;
import dev.mta.queue.ClaimedRecipient;
import dev.mta.queue.Diagnosis;
import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.NoticeKind;
import dev.mta.queue.PendingNotice;
import dev.mta.queue.PendingNotices;
import dev.mta.queue.QueueChange;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientRef;
import dev.mta.queue.RecipientState;
import dev.mta.queue.RecipientStatus;
import dev.mta.queue.Selection;
import dev.mta.queue.StoreException;
import dev.mta.queue.h2.child.Deleter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The postmaster bounces recipients (the notifier then sends the failure DSN) or deletes whole
 * messages without any notice.
 */
class BounceAndDeleteTest {
    private static final Instant NOW = Queueing.NOW;
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final Duration DELAY_WARNING = Duration.ofHours(4);
    private static final Instant RETRY = NOW.plus(Duration.ofHours(1));
    private static final Instant LATER = NOW.plus(Duration.ofMinutes(10));

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
    void bouncedRecipientsOweAFailureNoticeWithThePostmastersReason() throws Exception {
        QueueId id = Queueing.queue(store, Envelopes.to("requeued@example.net", "deferred@example.net"), Queueing.body(1));
        deferAll(id);
        store.requeue(Selection.messages(id).recipient("requeued@example.net"), NOW);

        QueueChange change = store.bounce(Selection.messages(id), "spam run from a hacked account", LATER);

        assertThat(change).isEqualTo(new QueueChange(1, 2, List.of()));
        Diagnosis expected = Diagnosis.local("5.0.0", "bounced by the postmaster: spam run from a hacked account");
        List<PendingNotices> pending = store.pendingNotices(LATER, DELAY_WARNING, 10);
        assertThat(pending).extracting(PendingNotices::message).containsExactly(id);
        assertThat(pending.getFirst().recipients())
                .extracting(n -> n.ref().index(), PendingNotice::kind, PendingNotice::state, PendingNotice::diagnosis,
                        PendingNotice::lastAttempt, PendingNotice::nextAttempt)
                .containsExactly(
                        tuple(0, NoticeKind.FAILURE, RecipientState.BOUNCED, expected, LATER, Optional.empty()),
                        tuple(1, NoticeKind.FAILURE, RecipientState.BOUNCED, expected, LATER, Optional.empty()));
        assertThat(store.find(id).orElseThrow().recipients()).extracting(RecipientStatus::attempts)
                .as("a bounce by the postmaster is not an attempt").containsExactly(1, 1);
        assertThat(store.attempts(id)).filteredOn(a -> a.worker().equals("postmaster"))
                .extracting(a -> a.recipient().index(), Attempt::outcome, Attempt::diagnosis)
                .containsExactly(tuple(0, RecipientState.BOUNCED, expected), tuple(1, RecipientState.BOUNCED, expected));
        assertThat(store.claimDue(LATER.plus(Duration.ofDays(1)), 10, "worker", LEASE)).isEmpty();
    }

    @Test
    void theMessageGoesOnceTheFailureNoticeIsSent() throws Exception {
        QueueId id = Queueing.queue(store, Envelopes.to("bob@example.net"), Queueing.body(1));
        store.bounce(Selection.all(), "held too long", LATER);
        assertThat(body(id)).exists();

        store.noticesSent(id, List.of(0), NoticeKind.FAILURE);

        assertThat(store.find(id)).isEmpty();
        assertThat(body(id)).doesNotExist();
    }

    @Test
    void aRecipientWithNotifyNeverOwesNothingAndItsMessageGoesAtOnce() throws Exception {
        QueueId id = Queueing.queue(store, Envelopes.withRecipients("alice@example.org", Envelopes.RECEIVED, List.of(
                new EnvelopeRecipient("never@example.net", Set.of(EnvelopeRecipient.Notify.NEVER), Optional.empty()),
                new EnvelopeRecipient("success@example.net", Set.of(EnvelopeRecipient.Notify.SUCCESS), Optional.empty()))),
                Queueing.body(1));

        assertThat(store.bounce(Selection.all(), "", LATER)).isEqualTo(new QueueChange(1, 2, List.of()));

        assertThat(store.pendingNotices(LATER, DELAY_WARNING, 10)).isEmpty();
        assertThat(store.find(id)).isEmpty();
        assertThat(body(id)).doesNotExist();
    }

    @Test
    void aBlankReasonStillSaysWhoBounced() throws Exception {
        QueueId id = Queueing.queue(store, Envelopes.to("bob@example.net"), Queueing.body(1));

        store.bounce(Selection.all(), "  ", LATER);

        assertThat(store.find(id).orElseThrow().recipients().getFirst().diagnosis())
                .contains(Diagnosis.local("5.0.0", "bounced by the postmaster"));
    }

    @Test
    void bounceLeavesLeasedAndSettledRecipientsAlone() throws Exception {
        QueueId id = Queueing.queue(store, Envelopes.to("leased@example.net", "delivered@example.net"), Queueing.body(1));
        store.claimDue(NOW, 10, "worker", LEASE);
        store.settle(new RecipientRef(id, 1), "worker", Outcomes.deliveredWithNotice("250 2.0.0 ok"));

        QueueChange change = store.bounce(Selection.all(), "no", NOW.plusSeconds(1));

        assertThat(change).isEqualTo(new QueueChange(0, 0, List.of(new RecipientRef(id, 0))));
        assertThat(store.find(id).orElseThrow().recipients()).extracting(RecipientStatus::state)
                .containsExactly(RecipientState.QUEUED, RecipientState.DELIVERED);
        assertThat(store.settle(new RecipientRef(id, 0), "worker", Outcomes.delivered("250 2.0.0 ok"))).isTrue();
    }

    @Test
    void heldRecipientsCanBeBounced() throws Exception {
        QueueId id = Queueing.queue(store, Envelopes.to("bob@example.net"), Queueing.body(1));
        store.hold(Selection.all(), NOW);

        assertThat(store.bounce(Selection.all().states(RecipientState.HELD), "held spam", LATER).recipients())
                .isEqualTo(1);

        assertThat(store.find(id).orElseThrow().recipients()).extracting(RecipientStatus::state)
                .containsExactly(RecipientState.BOUNCED);
    }

    @Test
    void aBounceSurvivesARestart() throws Exception {
        QueueId id = Queueing.queue(store, Envelopes.to("bob@example.net"), Queueing.body(1));
        store.bounce(Selection.all(), "gone", LATER);
        store.close();

        store = H2MessageStore.open(Queueing.settings(data));

        assertThat(store.pendingNotices(LATER, DELAY_WARNING, 10)).extracting(PendingNotices::message).containsExactly(id);
    }

    @Test
    void deleteRemovesWholeMessagesWithTheirBodiesAndNotices() throws Exception {
        QueueId selected = Queueing.queue(store, Envelopes.to("bob@example.net", "carol@example.com"), Queueing.body(1));
        QueueId other = Queueing.queue(store, Envelopes.to("dave@example.org"), Queueing.body(2));
        store.claimDue(NOW, 10, "worker", LEASE);
        store.settle(new RecipientRef(selected, 0), "worker", Outcomes.bouncedWithNotice("550 5.1.1 unknown"));
        store.settle(new RecipientRef(selected, 1), "worker", Outcomes.deferred("451 4.3.0 later", RETRY));
        store.settle(new RecipientRef(other, 0), "worker", Outcomes.deferred("451 4.3.0 later", RETRY));
        long before = store.syncRequests();

        QueueChange change = store.delete(Selection.all().recipientDomain("example.com"), LATER);

        assertThat(change).as("both recipients go, not only the selected one").isEqualTo(new QueueChange(1, 2, List.of()));
        assertThat(store.syncRequests()).isEqualTo(before + 1);
        assertThat(store.find(selected)).isEmpty();
        assertThat(body(selected)).doesNotExist();
        assertThat(store.attempts(selected)).isEmpty();
        assertThat(store.pendingNotices(LATER, DELAY_WARNING, 10)).as("no DSN for a deleted message").isEmpty();
        assertThat(store.list()).extracting(m -> m.id()).containsExactly(other);
        assertThat(body(other)).exists();
        assertThatThrownBy(() -> store.openBody(selected)).isInstanceOf(StoreException.class);
    }

    @Test
    void aMessageWithALeasedRecipientIsRefusedWholeAndReported() throws Exception {
        QueueId busy = Queueing.queue(store, Envelopes.to("leased@example.net", "waiting@example.net"), Queueing.body(1));
        store.claimDue(NOW, 1, "worker", LEASE);
        QueueId idle = Queueing.queue(store, Envelopes.to("idle@example.net"), Queueing.body(2));

        QueueChange change = store.delete(Selection.all().recipientDomain("example.net"), NOW.plusSeconds(1));

        assertThat(change).isEqualTo(new QueueChange(1, 1, List.of(new RecipientRef(busy, 0))));
        assertThat(change.leasedMessages()).containsExactly(busy);
        assertThat(store.find(busy)).isPresent();
        assertThat(body(busy)).exists();
        assertThat(store.find(idle)).isEmpty();
        assertThat(store.settle(new RecipientRef(busy, 0), "worker", Outcomes.delivered("250 2.0.0 ok"))).isTrue();

        assertThat(store.delete(Selection.messages(busy), NOW.plusSeconds(2))).isEqualTo(new QueueChange(1, 2, List.of()));
    }

    @Test
    void aDeletionSurvivesARestartAndNothingIsClaimedAfterwards() throws Exception {
        QueueId id = Queueing.queue(store, Envelopes.to("bob@example.net"), Queueing.body(1));
        store.delete(Selection.messages(id), NOW);
        store.close();

        store = H2MessageStore.open(Queueing.settings(data));

        assertThat(store.list()).isEmpty();
        assertThat(store.claimDue(LATER, 10, "worker", LEASE)).isEmpty();
    }

    @Test
    void aSecondProcessDeletesWhileTheRelayHasTheQueueOpen() throws Exception {
        QueueId id = Queueing.queue(store, Envelopes.to("bob@example.net", "carol@example.com"), Queueing.body(1));

        ChildJvm.Result child = new ChildJvm().run(Deleter.class, data, LATER, id);

        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.tagged("deleted ")).containsExactly("1 2");
        assertThat(store.find(id)).isEmpty();
        assertThat(body(id)).doesNotExist();
    }

    @Test
    void deletingWhatIsNotThereChangesNothing() throws Exception {
        Queueing.queue(store, Envelopes.to("bob@example.net"), Queueing.body(1));

        assertThat(store.delete(Selection.messages(QueueId.random()), NOW)).isEqualTo(new QueueChange(0, 0, List.of()));
        assertThat(store.list()).hasSize(1);
    }

    private void deferAll(QueueId id) throws Exception {
        for (ClaimedRecipient c : store.claimDue(NOW, 10, "worker", LEASE)) {
            store.settle(c.ref(), "worker", Outcomes.deferred("451 4.7.1 greylisted", RETRY));
        }
    }

    private Path body(QueueId id) {
        return data.resolve("queue/bodies").resolve(id.value());
    }
}
