package dev.mta.queue.h2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.ClaimedRecipient;
import dev.mta.queue.QueueId;
import dev.mta.queue.Selection;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The arrival of the oldest message with a deferred recipient, the "oldest deferred age" of the metrics. */
class OldestDeferredTest {
    private static final Instant NOW = Queueing.NOW;
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final Instant RETRY = NOW.plus(Duration.ofHours(1));
    private static final String GREYLISTED = "451 4.7.1 greylisted, try again later";

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
    void emptyQueueHasNoOldestDeferred() throws Exception {
        assertThat(store.oldestDeferred()).isEmpty();
    }

    @Test
    void mailNotYetAttemptedIsNotDeferred() throws Exception {
        queue(ago(300), "bob@example.net");

        assertThat(store.oldestDeferred()).isEmpty();
    }

    @Test
    void theArrivalOfTheOldestMessageWithADeferredRecipientCounts() throws Exception {
        queue(ago(60), "bob@example.net");
        queue(ago(400), "carol@example.net");
        queue(ago(5), "dave@example.net");
        deferEveryone();

        assertThat(store.oldestDeferred()).contains(ago(400));
    }

    @Test
    void olderHeldAndNotYetAttemptedMailIsPassedOver() throws Exception {
        QueueId held = queue(ago(900), "held@example.net");
        queue(ago(30), "bob@example.net");
        deferEveryone();
        store.hold(Selection.messages(held), NOW);
        queue(ago(850), "late-arrival@example.net"); // through the pickup, say: old, never attempted

        assertThat(store.oldestDeferred()).contains(ago(30));
    }

    @Test
    void oneDeferredRecipientAmongDeliveredOnesMakesTheMessageCount() throws Exception {
        queue(ago(800), "delivered@example.net", "greylisted@example.org");
        queue(ago(30), "bob@example.net");
        for (ClaimedRecipient claimed : store.claimDue(NOW, 10, "worker", LEASE)) {
            store.settle(claimed.ref(), "worker", claimed.recipient().address().startsWith("delivered")
                    ? Outcomes.delivered("250 2.0.0 ok") : Outcomes.deferred(GREYLISTED, RETRY));
        }

        assertThat(store.oldestDeferred()).contains(ago(800));
    }

    @Test
    void deliveringTheLastDeferredRecipientOfTheOldestMessageMovesItOn() throws Exception {
        queue(ago(400), "carol@example.net");
        queue(ago(60), "bob@example.net");
        deferEveryone();

        for (ClaimedRecipient claimed : store.claimDue(RETRY, 10, "worker", LEASE)) {
            if (claimed.recipient().address().startsWith("carol")) {
                store.settle(claimed.ref(), "worker", Outcomes.delivered("250 2.0.0 ok"));
            }
        }

        assertThat(store.oldestDeferred()).contains(ago(60));
    }

    @Test
    void heldRecipientsAreNotDeferred() throws Exception {
        QueueId oldest = queue(ago(400), "carol@example.net");
        queue(ago(60), "bob@example.net");
        deferEveryone();

        store.hold(Selection.messages(oldest), NOW);

        assertThat(store.oldestDeferred()).contains(ago(60));
    }

    /**
     * The plan walks the messages on their arrival index, already in order, and probes each one's
     * recipients on the index of its foreign key: no sort, no scan of the recipient table.
     */
    @Test
    void theQueryWalksTheArrivalIndexAndProbesRecipientsByKey() throws Exception {
        String plan;
        try (Connection connection = DirectConnection.open(data);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("EXPLAIN " + OldestDeferred.SQL)) {
            rows.next();
            plan = rows.getString(1);
        }

        assertThat(plan).contains("/* PUBLIC.MESSAGE_OLDEST_FIRST */").contains("/* index sorted */")
                .containsPattern("/\\* PUBLIC\\.[A-Z0-9_]+: MESSAGE_ID = M\\.ID \\*/").doesNotContain("tableScan");
    }

    private QueueId queue(Instant receivedAt, String... recipients) throws Exception {
        return Queueing.queue(store, Envelopes.receivedAt(receivedAt, recipients), Queueing.body(1));
    }

    private void deferEveryone() throws Exception {
        for (ClaimedRecipient claimed : store.claimDue(NOW, 100, "worker", LEASE)) {
            store.settle(claimed.ref(), "worker", Outcomes.deferred(GREYLISTED, RETRY));
        }
    }

    private static Instant ago(int minutes) {
        return NOW.minus(Duration.ofMinutes(minutes));
    }
}
