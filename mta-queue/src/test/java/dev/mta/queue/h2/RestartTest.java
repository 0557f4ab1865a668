package dev.mta.queue.h2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.Attempt;
import dev.mta.queue.ClaimedRecipient;
import dev.mta.queue.MessageDetail;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientRef;
import dev.mta.queue.RecipientState;
import dev.mta.queue.RecipientStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartTest {
    private static final Instant NOW = Queueing.NOW;
    private static final Duration LEASE = Duration.ofMinutes(5);

    @TempDir
    Path data;

    @Test
    void messagesRecipientStatesHistoryAndBodiesSurviveARestart() throws Exception {
        QueueId first;
        QueueId second;
        Instant retry = NOW.plus(Duration.ofMinutes(10));
        MessageDetail before;
        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            first = Queueing.queue(store, Envelopes.to("bob@example.net", "carol@example.com", "dave@example.org"),
                    Queueing.body(1));
            second = Queueing.queue(store, Envelopes.to("erin@example.net"), Queueing.body(2));
            store.claimDue(NOW, 10, "worker-1", LEASE);
            store.settle(new RecipientRef(first, 0), "worker-1", Outcomes.delivered("250 2.0.0 ok"));
            store.settle(new RecipientRef(first, 1), "worker-1", Outcomes.deferred("451 4.3.0 later", retry));
            before = store.find(first).orElseThrow();
        }

        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            assertThat(store.find(first)).contains(before);
            assertThat(before.recipients()).containsExactly(
                    new RecipientStatus(0, "bob@example.net", RecipientState.DELIVERED, 1, Optional.empty(),
                            Optional.of(NOW), Optional.of(Outcomes.reply("250 2.0.0 ok")), Optional.empty(), false),
                    new RecipientStatus(1, "carol@example.com", RecipientState.DEFERRED, 1, Optional.of(retry),
                            Optional.of(NOW), Optional.of(Outcomes.reply("451 4.3.0 later")), Optional.empty(), false),
                    new RecipientStatus(2, "dave@example.org", RecipientState.QUEUED, 0, Optional.of(NOW),
                            Optional.empty(), Optional.empty(), Optional.empty(), false));
            assertThat(store.attempts(first)).extracting(Attempt::outcome)
                    .containsExactly(RecipientState.DELIVERED, RecipientState.DEFERRED);
            assertThat(store.openBody(first)).hasContent(Queueing.body(1));
            assertThat(store.openBody(second)).hasContent(Queueing.body(2));
        }
    }

    @Test
    void leasesOfTheStoppedProcessAreReleasedAtStart() throws Exception {
        QueueId id;
        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            id = Queueing.queue(store, Envelopes.to("bob@example.net"), Queueing.body(1));
            assertThat(store.claimDue(NOW, 10, "worker-of-the-old-run", LEASE)).hasSize(1);
        }

        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            List<ClaimedRecipient> claimed = store.claimDue(NOW.plusSeconds(1), 10, "worker-of-the-new-run", LEASE);

            assertThat(claimed).extracting(ClaimedRecipient::ref).containsExactly(new RecipientRef(id, 0));
            assertThat(store.settle(new RecipientRef(id, 0), "worker-of-the-old-run", Outcomes.delivered("250")))
                    .isFalse();
        }
    }
}
