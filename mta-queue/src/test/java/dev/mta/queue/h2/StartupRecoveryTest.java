package dev.mta.queue.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.queue.IncomingMessage;
import dev.mta.queue.MessageSummary;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientStatus;
import dev.mta.queue.RecipientState;
import dev.mta.queue.MessageDetail;
import dev.mta.queue.Envelope;
import dev.mta.queue.StoreException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupRecoveryTest {
    @TempDir
    Path data;

    @Test
    void leftoverIncomingFilesAreDeletedAtStart() throws Exception {
        Path leftover = queueOneThenClose().resolve("incoming").resolve(QueueId.random().value());
        Files.writeString(leftover, "Subject: never got its 250\r\n");

        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            assertThat(leftover).doesNotExist();
            assertThat(store.list()).hasSize(1);
        }
    }

    @Test
    void bodiesWithoutAMessageAreDeletedAtStart() throws Exception {
        Path queue = queueOneThenClose();
        Path orphan = queue.resolve("bodies").resolve(QueueId.random().value());
        Files.writeString(orphan, "Subject: crashed between rename and insert\r\n");
        Path foreign = Files.writeString(queue.resolve("bodies").resolve("README"), "not ours");

        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            assertThat(orphan).doesNotExist();
            assertThat(foreign).as("a name that is no queue id is left alone").exists();
            assertThat(store.list()).singleElement().satisfies(
                    message -> assertThat(queue.resolve("bodies").resolve(message.id().value())).exists());
        }
    }

    @Test
    void refusesToStartWhenTheMarkerSaysTheDatabaseExistedButTheFileIsGone() throws Exception {
        Path queue = queueOneThenClose();
        Files.delete(queue.resolve("queue.mv.db"));

        assertThatThrownBy(() -> H2MessageStore.open(Queueing.settings(data)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(queue.resolve("queue.mv.db").toString())
                .hasMessageContaining("is missing")
                .hasMessageContaining("Restore")
                .hasMessageContaining("move " + queue + " aside");
        assertThat(queue.resolve("queue.mv.db")).as("no empty database was created").doesNotExist();
        assertThat(queue.resolve("bodies")).isNotEmptyDirectory();
    }

    @Test
    void refusesToStartWhenBodiesAreWaitingButTheDatabaseIsGone() throws Exception {
        Path queue = queueOneThenClose();
        Files.delete(queue.resolve("queue.mv.db"));
        Files.delete(queue.resolve("database.created"));

        assertThatThrownBy(() -> H2MessageStore.open(Queueing.settings(data)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("is missing although message bodies are waiting");
        assertThat(queue.resolve("queue.mv.db")).doesNotExist();
    }

    @Test
    void aCorruptDatabaseIsReportedAndNothingIsDeleted() throws Exception {
        Path queue = queueOneThenClose();
        Path database = queue.resolve("queue.mv.db");
        byte[] garbage = new byte[(int) Files.size(database)];
        Arrays.fill(garbage, (byte) 'x');
        Files.write(database, garbage);
        Path leftover = Files.writeString(queue.resolve("incoming").resolve(QueueId.random().value()), "partial");
        long bodies;
        try (var files = Files.list(queue.resolve("bodies"))) {
            bodies = files.count();
        }

        assertThatThrownBy(() -> H2MessageStore.open(Queueing.settings(data)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot open the queue database " + database)
                .hasMessageContaining("Nothing was changed or deleted")
                .hasMessageContaining("mta queue salvage");
        assertThat(Files.readAllBytes(database)).isEqualTo(garbage);
        assertThat(leftover).exists();
        try (var files = Files.list(queue.resolve("bodies"))) {
            assertThat(files.count()).isEqualTo(bodies);
        }
    }

    /**
     * A damaged file can open with its catalog gone (seen with 300 bytes overwritten in a live
     * chunk). Creating the tables anew would make an empty queue, and recovery would then delete
     * every body as an orphan.
     */
    @Test
    void aDatabaseThatLostItsTablesIsRefusedAsDamagedAndNoBodyIsDeleted() throws Exception {
        Path queue = queueOneThenClose();
        try (java.sql.Connection connection = DirectConnection.open(data);
             java.sql.Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE attempt, recipient, message, queue_schema");
        }

        assertThatThrownBy(() -> H2MessageStore.open(Queueing.settings(data)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("has lost its table(s) [queue_schema, message, recipient, attempt]")
                .hasMessageContaining("mta queue salvage");
        try (var files = Files.list(queue.resolve("bodies"))) {
            assertThat(files.count()).isEqualTo(1);
        }
    }

    /**
     * H2 can reopen after SIGKILL at a version older than commits it had synced (seen by
     * KillNineUnderDeliveryTest): the rows of an acknowledged message are gone, its spool file is
     * not. The envelope written after the body puts the message back.
     */
    @Test
    void aMessageTheDatabaseLostIsPutBackFromItsSpoolFile() throws Exception {
        QueueId id;
        Envelope envelope = Envelopes.to("bob@example.net", "carol@example.org");
        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            id = Queueing.queue(store, envelope, Queueing.body(7));
        }
        try (java.sql.Connection connection = DirectConnection.open(data)) {
            MessageRows.delete(connection, id);
        }

        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            MessageDetail restored = store.find(id).orElseThrow();
            assertThat(restored.envelope()).isEqualTo(envelope);
            assertThat(restored.recipients()).extracting(RecipientStatus::state)
                    .containsExactly(RecipientState.QUEUED, RecipientState.QUEUED);
            assertThat(store.openBody(id)).hasContent(Queueing.body(7));
        }
    }

    /** Bodies go only after the deletion of their rows is synced: rows without a body were finished. */
    @Test
    void aMessageWhoseBodyIsGoneWasFinishedAndIsRemoved() throws Exception {
        Path queue = queueOneThenClose();
        QueueId id;
        try (var bodies = Files.list(queue.resolve("bodies"))) {
            id = new QueueId(bodies.findFirst().orElseThrow().getFileName().toString());
        }
        Files.delete(queue.resolve("bodies").resolve(id.value()));

        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            assertThat(store.find(id)).isEmpty();
            assertThat(store.list()).isEmpty();
        }
    }

    @Test
    void aDatabaseWhoseCredentialsAreLostIsReported() throws Exception {
        Path queue = queueOneThenClose();
        Files.delete(queue.resolve("database.credentials"));

        assertThatThrownBy(() -> H2MessageStore.open(Queueing.settings(data)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(queue.resolve("database.credentials").toString())
                .hasMessageContaining("restore");
    }

    @Test
    void aStoreOpenedBesideARunningOneLeavesItsMessagesInFlightAlone() throws Exception {
        try (H2MessageStore relay = H2MessageStore.open(Queueing.settings(data));
             IncomingMessage inFlight = relay.receive()) {
            inFlight.body().write("Subject: arriving\r\n".getBytes(StandardCharsets.US_ASCII));
            inFlight.body().flush();

            try (H2MessageStore second = H2MessageStore.open(Queueing.settings(data))) {
                assertThat(data.resolve("queue/incoming").resolve(inFlight.id().value())).exists();
                inFlight.commit(Envelopes.to("bob@example.net"));
                assertThat(second.list()).extracting(MessageSummary::id).containsExactly(inFlight.id());
            }
        }
    }

    @Test
    void aFreshDataDirectoryGetsAnEmptyQueue() throws Exception {
        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data.resolve("new/data")))) {
            assertThat(store.list()).isEmpty();
            assertThat(store.queueDirectory()).isEqualTo(data.resolve("new/data/queue"));
        }
    }

    /** Queues one message in a new store, closes it, and returns the queue directory. */
    private Path queueOneThenClose() throws Exception {
        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            Queueing.queue(store, Envelopes.to("bob@example.net"), Queueing.body(1));
            return store.queueDirectory();
        }
    }
}
