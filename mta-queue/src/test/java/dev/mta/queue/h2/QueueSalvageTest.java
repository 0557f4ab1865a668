package dev.mta.queue.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.queue.ClaimedRecipient;
import dev.mta.queue.MessageDetail;
import dev.mta.queue.QueueId;
import dev.mta.queue.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mta queue salvage}: nothing deleted, what H2 can read comes back, the rest is set aside. */
class QueueSalvageTest {
    private static final Clock SALVAGE_TIME = Clock.fixed(Queueing.NOW.plusSeconds(3600), ZoneOffset.UTC);

    @TempDir
    Path data;

    @Test
    void aReadableDatabaseComesBackWithEveryMessageRecipientAndState() throws Exception {
        List<MessageDetail> before = new ArrayList<>();
        java.util.Map<QueueId, String> bodies = new java.util.HashMap<>();
        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            bodies.put(Queueing.queue(store, Envelopes.to("a@example.net", "b@example.org"), Queueing.body(1)), Queueing.body(1));
            bodies.put(Queueing.queue(store, Envelopes.to("c@example.net"), Queueing.body(2)), Queueing.body(2));
            List<ClaimedRecipient> claimed = store.claimDue(Queueing.NOW.plusSeconds(1), 1, "worker", Duration.ofMinutes(5));
            store.settle(claimed.getFirst().ref(), "worker",
                    Outcomes.deferred("451 4.3.2 later", Queueing.NOW.plusSeconds(600)));
            for (var summary : store.list()) {
                before.add(store.find(summary.id()).orElseThrow());
            }
        }

        QueueSalvage.Report report = QueueSalvage.run(data, SALVAGE_TIME);

        assertThat(report.tablesRecovered()).isTrue();
        assertThat(report.messages()).isEqualTo(2);
        assertThat(report.restored()).isEmpty();
        assertThat(report.bodiesSetAside()).isEmpty();
        assertThat(report.messagesWithoutBody()).isEmpty();
        assertThat(report.damagedDirectory()).isEqualTo(data.resolve("queue/damaged-20260301-110005"));
        assertThat(report.damagedDirectory().resolve("queue.mv.db")).exists();
        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            for (MessageDetail detail : before) {
                assertThat(store.find(detail.id())).contains(detail);
                assertThat(new String(store.openBody(detail.id()).readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII))
                        .isEqualTo(bodies.get(detail.id()));
            }
            Queueing.queue(store, Envelopes.to("after@example.net"), Queueing.body(3));
            assertThat(store.list()).hasSize(3);
        }
    }

    @Test
    void aDatabaseThatLostItsTablesGetsItsMessagesBackFromTheirSpoolFiles() throws Exception {
        List<QueueId> queued = queueTwo();
        try (Connection connection = DirectConnection.open(data); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE attempt, recipient, message, queue_schema");
        }
        assertThatThrownBy(() -> H2MessageStore.open(Queueing.settings(data))).hasMessageContaining("mta queue salvage");

        QueueSalvage.Report report = QueueSalvage.run(data, SALVAGE_TIME);

        assertThat(report.tablesRecovered()).isFalse();
        assertThat(report.restored()).containsExactlyInAnyOrderElementsOf(queued);
        assertThat(report.messages()).isEqualTo(2);
        assertThat(report.bodiesSetAside()).isEmpty();
        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            assertThat(store.find(queued.get(0)).orElseThrow().envelope()).isEqualTo(Envelopes.to("bob@example.net"));
            assertThat(store.openBody(queued.get(1))).hasContent(Queueing.body(1));
        }
    }

    /** A body from before envelope trailers, whose rows are lost, cannot be put back: it is set aside, never deleted. */
    @Test
    void aBodyWithoutItsEnvelopeIsSetAside() throws Exception {
        queueTwo();
        QueueId old = QueueId.random();
        Files.writeString(data.resolve("queue/bodies").resolve(old.value()), Queueing.body(0));

        QueueSalvage.Report report = QueueSalvage.run(data, SALVAGE_TIME);

        assertThat(report.bodiesSetAside()).containsExactly(old);
        assertSetAside(report, List.of(old));
        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            assertThat(store.list()).hasSize(2);
        }
    }

    @Test
    void aFileThatIsAllGarbageStillGivesBackEveryMessage() throws Exception {
        List<QueueId> queued = queueTwo();
        Path database = data.resolve("queue/queue.mv.db");
        byte[] garbage = new byte[(int) Files.size(database)];
        Arrays.fill(garbage, (byte) 'x');
        Files.write(database, garbage);

        QueueSalvage.Report report = QueueSalvage.run(data, SALVAGE_TIME);

        assertThat(report.tablesRecovered()).isFalse();
        assertThat(report.damagedDirectory().resolve("queue.mv.db")).hasBinaryContent(garbage);
        assertThat(report.restored()).containsExactlyInAnyOrderElementsOf(queued);
        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            assertThat(store.list()).hasSize(2);
        }
    }

    @Test
    void refusesWhileTheQueueIsOpen() throws Exception {
        queueTwo();
        try (H2MessageStore running = H2MessageStore.open(Queueing.settings(data))) {
            assertThatThrownBy(() -> QueueSalvage.run(data, SALVAGE_TIME))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("stop the relay");
            assertThat(running.list()).hasSize(2);
        }
    }

    private static void assertSetAside(QueueSalvage.Report report, List<QueueId> queued) throws Exception {
        for (int i = 0; i < queued.size(); i++) {
            assertThat(report.damagedDirectory().resolve("bodies").resolve(queued.get(i).value()))
                    .hasContent(Queueing.body(i));
        }
    }

    private List<QueueId> queueTwo() throws StoreException {
        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            return List.of(Queueing.queue(store, Envelopes.to("bob@example.net"), Queueing.body(0)),
                    Queueing.queue(store, Envelopes.to("carol@example.net"), Queueing.body(1)));
        }
    }
}
