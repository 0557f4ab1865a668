package dev.mta.queue.h2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.ClaimedRecipient;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientRef;
import dev.mta.queue.RecipientState;
import dev.mta.queue.Selection;
import dev.mta.queue.h2.child.Flusher;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flushing the queue makes waiting recipients due now, like {@code postqueue -f} and {@code -i}. */
class FlushTest {
    private static final Instant NOW = Queueing.NOW;
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final Instant RETRY = NOW.plus(Duration.ofHours(1));
    private static final Instant FLUSHED_AT = NOW.plus(Duration.ofMinutes(10));

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
    void deferredRecipientsBecomeDueNowAndKeepTheirAttempts() throws Exception {
        QueueId id = deferredMessage("bob@example.net");
        assertThat(store.claimDue(FLUSHED_AT, 10, "worker-2", LEASE)).isEmpty();

        assertThat(store.flush(Optional.empty(), FLUSHED_AT)).isEqualTo(1);

        assertThat(store.claimDue(FLUSHED_AT, 10, "worker-2", LEASE))
                .extracting(ClaimedRecipient::ref, ClaimedRecipient::attempts)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(new RecipientRef(id, 0), 1));
    }

    @Test
    void onlyTheNamedMessageIsFlushed() throws Exception {
        QueueId named = deferredMessage("bob@example.net");
        QueueId other = deferredMessage("carol@example.com");

        assertThat(store.flush(Optional.of(named), FLUSHED_AT)).isEqualTo(1);

        assertThat(store.claimDue(FLUSHED_AT, 10, "worker-2", LEASE)).extracting(c -> c.ref().message())
                .containsExactly(named).doesNotContain(other);
    }

    @Test
    void recipientsAlreadyDueAreCountedAndKeepTheirEarlierDueTime() throws Exception {
        QueueId id = Queueing.queue(store, Envelopes.to("bob@example.net"), Queueing.body(1));

        assertThat(store.flush(Optional.of(id), FLUSHED_AT)).isEqualTo(1);

        assertThat(store.find(id).orElseThrow().recipients().getFirst().nextAttempt()).contains(NOW);
    }

    @Test
    void leasedSettledAndHeldRecipientsAreLeftAlone() throws Exception {
        QueueId id = Queueing.queue(store, Envelopes.to("leased@example.net", "settled@example.net", "held@example.net"),
                Queueing.body(1));
        store.claimDue(NOW, 10, "worker", LEASE);
        store.settle(new RecipientRef(id, 1), "worker", Outcomes.bouncedWithNotice("550 5.1.1 unknown"));
        store.settle(new RecipientRef(id, 2), "worker", Outcomes.deferred("451 4.3.0 later", RETRY));
        store.hold(Selection.messages(id).recipient("held@example.net"), NOW);

        assertThat(store.flush(Optional.empty(), NOW.plusSeconds(1))).isZero();

        assertThat(store.find(id).orElseThrow().recipients()).extracting(r -> r.state(), r -> r.nextAttempt())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(RecipientState.QUEUED, Optional.of(NOW)),
                        org.assertj.core.groups.Tuple.tuple(RecipientState.BOUNCED, Optional.empty()),
                        org.assertj.core.groups.Tuple.tuple(RecipientState.HELD, Optional.of(RETRY)));
    }

    @Test
    void aRecipientWhoseLeaseRanOutIsFlushed() throws Exception {
        QueueId id = Queueing.queue(store, Envelopes.to("bob@example.net"), Queueing.body(1));
        store.claimDue(NOW, 10, "crashed-worker", LEASE);
        assertThat(store.flush(Optional.of(id), NOW.plus(LEASE).minusMillis(1))).as("lease still live").isZero();

        assertThat(store.flush(Optional.of(id), NOW.plus(LEASE))).isEqualTo(1);
    }

    @Test
    void aFlushIsDurableBeforeItReturns() throws Exception {
        deferredMessage("bob@example.net");
        long before = store.syncRequests();

        store.flush(Optional.empty(), FLUSHED_AT);

        assertThat(store.syncRequests()).isEqualTo(before + 1);
    }

    @Test
    void aSecondProcessFlushesWhileTheRelayHasTheQueueOpen() throws Exception {
        QueueId id = deferredMessage("bob@example.net");

        ChildJvm.Result child = new ChildJvm().run(Flusher.class, data, FLUSHED_AT, id);

        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.tagged("flushed ")).containsExactly("1");
        assertThat(store.claimDue(FLUSHED_AT, 10, "worker-2", LEASE)).extracting(ClaimedRecipient::ref)
                .containsExactly(new RecipientRef(id, 0));
    }

    private QueueId deferredMessage(String recipient) throws Exception {
        QueueId id = Queueing.queue(store, Envelopes.to(recipient), Queueing.body(1));
        List<ClaimedRecipient> claimed = store.claimDue(NOW, 10, "worker", LEASE);
        for (ClaimedRecipient c : claimed) {
            store.settle(c.ref(), "worker", Outcomes.deferred("451 4.7.1 greylisted", RETRY));
        }
        return id;
    }
}
