package dev.mta.queue.h2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.ClaimedRecipient;
import dev.mta.queue.Diagnosis;
import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.MessageSummary;
import dev.mta.queue.NoticeKind;
import dev.mta.queue.PendingNotice;
import dev.mta.queue.PendingNotices;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientRef;
import dev.mta.queue.RecipientState;
import dev.mta.queue.Settlement;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notices owed per recipient: set with the settlement, listed for the notifier, cleared by its
 * report, and holding the message (and the body a DSN quotes) until then.
 */
class NoticesTest {
    private static final Instant NOW = Queueing.NOW;
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final Duration DELAY_WARNING = Duration.ofHours(4);
    /** Late enough that the test envelopes (received at Envelopes.RECEIVED) are past the delay warning. */
    private static final Instant LATER = Envelopes.RECEIVED.plus(DELAY_WARNING);

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
    void aBounceThatOwesANoticeKeepsTheMessageAndItsBodyUntilTheNoticeIsSent() throws Exception {
        QueueId id = queue("bob@example.net");
        claimAll();

        store.settle(new RecipientRef(id, 0), "worker", Outcomes.bouncedWithNotice("550 5.1.1 unknown"));

        assertThat(store.find(id)).hasValueSatisfying(message -> assertThat(message.recipients().getFirst().pendingNotice())
                .contains(NoticeKind.FAILURE));
        assertThat(store.openBody(id)).hasContent(Queueing.body(1));

        store.noticesSent(id, List.of(0), NoticeKind.FAILURE);

        assertThat(store.find(id)).isEmpty();
        assertThat(bodyFile(id)).doesNotExist();
    }

    @Test
    void aBounceThatOwesNoNoticeRemovesTheMessageAtOnce() throws Exception {
        QueueId id = queue("bob@example.net");
        claimAll();

        store.settle(new RecipientRef(id, 0), "worker", Outcomes.bounced("550 5.1.1 unknown"));

        assertThat(store.find(id)).isEmpty();
        assertThat(store.pendingNotices(LATER, DELAY_WARNING, 10)).isEmpty();
    }

    @Test
    void aDeliveryThatAsksForASuccessNoticeOwesOne() throws Exception {
        QueueId id = queue("bob@example.net");
        claimAll();

        store.settle(new RecipientRef(id, 0), "worker", Outcomes.deliveredWithNotice("250 2.0.0 ok"));

        assertThat(store.pendingNotices(NOW, DELAY_WARNING, 10)).singleElement()
                .satisfies(message -> assertThat(message.recipients()).singleElement()
                        .extracting(PendingNotice::kind, PendingNotice::state)
                        .containsExactly(NoticeKind.SUCCESS, RecipientState.DELIVERED));
        store.noticesSent(id, List.of(0), NoticeKind.SUCCESS);
        assertThat(store.find(id)).isEmpty();
    }

    @Test
    void thePendingNoticeCarriesWhatADsnReports() throws Exception {
        Envelope envelope = new Envelope("alice@example.org",
                List.of(EnvelopeRecipient.of("bob@example.net"),
                        new EnvelopeRecipient("carol@example.com", Set.of(EnvelopeRecipient.Notify.FAILURE),
                                Optional.of("rfc822;carol@example.com"))),
                Envelope.BodyType.SEVEN_BIT, false, Optional.of(Envelope.DsnReturn.HDRS), Optional.of("env-7"),
                new Envelope.ClientInfo("192.0.2.10", "client.example.org", Optional.empty()), Envelopes.RECEIVED);
        QueueId id = Queueing.queue(store, envelope, Queueing.body(7));
        claimAll();
        Diagnosis unknown = Diagnosis.remote("5.1.1", "550 5.1.1 <carol@example.com>: user unknown", "mx.example.com");

        store.settle(new RecipientRef(id, 1), "worker", new Settlement.Bounced(unknown, true));

        assertThat(store.pendingNotices(NOW, DELAY_WARNING, 10)).containsExactly(new PendingNotices(id, envelope,
                Queueing.body(7).length(), List.of(new PendingNotice(new RecipientRef(id, 1), envelope.recipients().get(1),
                        RecipientState.BOUNCED, NoticeKind.FAILURE, unknown, NOW, Optional.empty()))));
    }

    @Test
    void aRecipientDeferredLongerThanTheWarningDelayOwesADelayNoticeOnce() throws Exception {
        QueueId id = queue("bob@example.net", "carol@example.com");
        claimAll();
        Instant retry = LATER.plus(Duration.ofHours(1));
        store.settle(new RecipientRef(id, 0), "worker", Outcomes.deferred("451 4.7.1 greylisted", retry));

        assertThat(store.pendingNotices(LATER.minusMillis(1), DELAY_WARNING, 10))
                .as("received less than the delay ago").isEmpty();
        List<PendingNotices> due = store.pendingNotices(LATER, DELAY_WARNING, 10);
        assertThat(due).singleElement().satisfies(message -> assertThat(message.recipients()).as("never-tried carol owes none")
                .containsExactly(new PendingNotice(new RecipientRef(id, 0), EnvelopeRecipient.of("bob@example.net"),
                        RecipientState.DEFERRED, NoticeKind.DELAY, Outcomes.reply("451 4.7.1 greylisted"), NOW,
                        Optional.of(retry))));

        store.noticesSent(id, List.of(0), NoticeKind.DELAY);

        assertThat(store.pendingNotices(LATER.plus(Duration.ofDays(1)), DELAY_WARNING, 10)).isEmpty();
        assertThat(store.find(id).orElseThrow().recipients().getFirst().delayWarned()).isTrue();
    }

    @Test
    void aDelayWarningDoesNotHoldTheMessageOnceEveryRecipientIsSettled() throws Exception {
        QueueId id = queue("bob@example.net");
        claimAll();
        store.settle(new RecipientRef(id, 0), "worker", Outcomes.deferred("451 4.7.1 later", LATER));
        store.noticesSent(id, List.of(0), NoticeKind.DELAY);
        store.claimDue(LATER, 10, "worker", LEASE);

        store.settle(new RecipientRef(id, 0), "worker", Outcomes.delivered("250 2.0.0 ok"));

        assertThat(store.find(id)).isEmpty();
    }

    @Test
    void aDeliveredOrDeferredRecipientWithoutANoticeIsNotListed() throws Exception {
        QueueId id = queue("bob@example.net", "carol@example.com");
        claimAll();
        store.settle(new RecipientRef(id, 0), "worker", Outcomes.delivered("250 2.0.0 ok"));

        assertThat(store.pendingNotices(LATER, DELAY_WARNING, 10)).isEmpty();
    }

    @Test
    void messagesAreListedOldestFirstUpToTheLimit() throws Exception {
        QueueId newer = Queueing.queue(store, Envelopes.receivedAt(Envelopes.RECEIVED.plusSeconds(2), "a@example.net"),
                Queueing.body(1));
        QueueId oldest = Queueing.queue(store, Envelopes.receivedAt(Envelopes.RECEIVED, "b@example.net"), Queueing.body(2));
        QueueId middle = Queueing.queue(store, Envelopes.receivedAt(Envelopes.RECEIVED.plusSeconds(1), "c@example.net"),
                Queueing.body(3));
        claimAll();
        for (QueueId id : List.of(newer, oldest, middle)) {
            store.settle(new RecipientRef(id, 0), "worker", Outcomes.bouncedWithNotice("550 5.1.1 unknown"));
        }

        assertThat(store.pendingNotices(NOW, DELAY_WARNING, 2)).extracting(PendingNotices::message)
                .containsExactly(oldest, middle);
        assertThat(store.pendingNotices(NOW, DELAY_WARNING, 10)).extracting(PendingNotices::message)
                .containsExactly(oldest, middle, newer);
    }

    @Test
    void theLastSettlementDoesNotRemoveAMessageWhileAnotherRecipientsNoticeIsPending() throws Exception {
        QueueId id = queue("bob@example.net", "carol@example.com");
        claimAll();
        store.settle(new RecipientRef(id, 0), "worker", Outcomes.bouncedWithNotice("550 5.1.1 unknown"));

        store.settle(new RecipientRef(id, 1), "worker", Outcomes.delivered("250 2.0.0 ok"));

        assertThat(store.find(id)).isPresent();
        assertThat(bodyFile(id)).exists();
        store.noticesSent(id, List.of(0), NoticeKind.FAILURE);
        assertThat(store.find(id)).isEmpty();
        assertThat(bodyFile(id)).doesNotExist();
    }

    @Test
    void aReportOfOneKindDoesNotClearANoticeOfAnother() throws Exception {
        QueueId id = queue("bob@example.net");
        claimAll();
        store.settle(new RecipientRef(id, 0), "worker", Outcomes.deliveredWithNotice("250 2.0.0 ok"));

        store.noticesSent(id, List.of(0), NoticeKind.FAILURE);
        store.noticesSent(id, List.of(0), NoticeKind.DELAY);

        assertThat(store.find(id).orElseThrow().recipients().getFirst().pendingNotice()).contains(NoticeKind.SUCCESS);
    }

    @Test
    void aRepeatedReportForARemovedMessageIsHarmless() throws Exception {
        QueueId id = queue("bob@example.net");
        claimAll();
        store.settle(new RecipientRef(id, 0), "worker", Outcomes.bouncedWithNotice("550 5.1.1 unknown"));
        store.noticesSent(id, List.of(0), NoticeKind.FAILURE);

        // A notifier that crashed before its report was durable runs again: the DSN goes out twice, nothing breaks.
        store.noticesSent(id, List.of(0), NoticeKind.FAILURE);
        store.noticesSent(QueueId.random(), List.of(0, 1), NoticeKind.DELAY);

        assertThat(store.find(id)).isEmpty();
    }

    @Test
    void aReportIsDurableBeforeItReturns() throws Exception {
        QueueId id = queue("bob@example.net");
        claimAll();
        store.settle(new RecipientRef(id, 0), "worker", Outcomes.bouncedWithNotice("550 5.1.1 unknown"));
        long before = store.syncRequests();

        store.noticesSent(id, List.of(0), NoticeKind.FAILURE);

        assertThat(store.syncRequests()).isEqualTo(before + 1);
    }

    @Test
    void claimDueNeverHandsOutASettledRecipientWhoseNoticeIsPending() throws Exception {
        QueueId id = queue("bob@example.net");
        claimAll();
        store.settle(new RecipientRef(id, 0), "worker", Outcomes.bouncedWithNotice("550 5.1.1 unknown"));

        assertThat(store.claimDue(NOW.plus(Duration.ofDays(30)), 10, "worker-2", LEASE)).isEmpty();
    }

    @Test
    void theListingShowsAMessageWhoseRecipientsAreSettledButWhoseNoticeIsPending() throws Exception {
        QueueId id = queue("bob@example.net");
        claimAll();
        store.settle(new RecipientRef(id, 0), "worker", Outcomes.bouncedWithNotice("550 5.1.1 unknown"));

        assertThat(store.list()).singleElement().satisfies(message -> {
            assertThat(message.id()).isEqualTo(id);
            assertThat(message.recipients()).singleElement().satisfies(recipient -> {
                assertThat(recipient.state()).isEqualTo(RecipientState.BOUNCED);
                assertThat(recipient.pendingNotice()).contains(NoticeKind.FAILURE);
                assertThat(recipient.lastReply()).contains("550 5.1.1 unknown");
            });
        });
    }

    @Test
    void aPendingNoticeSurvivesAReopen() throws Exception {
        QueueId id = queue("bob@example.net");
        claimAll();
        store.settle(new RecipientRef(id, 0), "worker", Outcomes.bouncedWithNotice("550 5.1.1 unknown"));
        store.close();

        store = H2MessageStore.open(Queueing.settings(data));

        assertThat(store.pendingNotices(NOW, DELAY_WARNING, 10)).singleElement()
                .satisfies(message -> assertThat(message.recipients()).extracting(PendingNotice::kind)
                        .containsExactly(NoticeKind.FAILURE));
        assertThat(store.openBody(id)).hasContent(Queueing.body(1));
    }

    /** The notifier's report and the last settlement both lock the message: whichever is last removes it. */
    @Test
    void aReportAndTheLastSettlementAtOnceRemoveTheMessage() throws Exception {
        for (int round = 0; round < 10; round++) {
            QueueId id = Queueing.queue(store, Envelopes.to("x@example.net", "y@example.net"), Queueing.body(round));
            String owner = "worker-" + round;
            List<ClaimedRecipient> claimed = store.claimDue(NOW.plusSeconds(round), 10, owner, LEASE);
            assertThat(claimed).hasSize(2);
            store.settle(new RecipientRef(id, 0), owner, Outcomes.bouncedWithNotice("550 5.1.1 unknown"));

            CompletableFuture<Void> report = CompletableFuture.runAsync(() -> run(
                    () -> store.noticesSent(id, List.of(0), NoticeKind.FAILURE)));
            CompletableFuture<Void> settle = CompletableFuture.runAsync(() -> run(
                    () -> store.settle(new RecipientRef(id, 1), owner, Outcomes.delivered("250 2.0.0 ok"))));
            report.get();
            settle.get();

            assertThat(store.find(id)).as("message of round " + round).isEmpty();
            assertThat(bodyFile(id)).doesNotExist();
        }
    }

    @Test
    void theSummaryOfAMessageWithANoticePendingListsItsSettledRecipients() throws Exception {
        QueueId id = queue("bob@example.net", "carol@example.com");
        claimAll();
        store.settle(new RecipientRef(id, 0), "worker", Outcomes.delivered("250 2.0.0 ok"));
        store.settle(new RecipientRef(id, 1), "worker", Outcomes.bouncedWithNotice("550 5.1.1 unknown"));

        assertThat(store.list()).flatExtracting(MessageSummary::recipients)
                .extracting(r -> r.state(), r -> r.pendingNotice().orElse(null))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(RecipientState.DELIVERED, null),
                        org.assertj.core.groups.Tuple.tuple(RecipientState.BOUNCED, NoticeKind.FAILURE));
    }

    private QueueId queue(String... recipients) throws Exception {
        return Queueing.queue(store, Envelopes.to(recipients), Queueing.body(1));
    }

    private void claimAll() throws Exception {
        store.claimDue(NOW, 100, "worker", LEASE);
    }

    private Path bodyFile(QueueId id) {
        return data.resolve("queue/bodies").resolve(id.value());
    }

    private static void run(StoreCall call) {
        try {
            call.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface StoreCall {
        void run() throws Exception;
    }
}
