package dev.mta.queue.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.queue.MessageSummary;
import dev.mta.queue.QueueId;
import dev.mta.queue.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code isOpen()}, what /health/ready asks of the queue: false once closed, and while the database is gone. */
class StoreReadinessTest {
    @TempDir
    Path data;

    @Test
    void storeJustOpenedIsOpen() throws Exception {
        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            assertThat(store.isOpen()).isTrue();
        }
    }

    @Test
    void closedStoreIsNotOpen() throws Exception {
        H2MessageStore store = H2MessageStore.open(Queueing.settings(data));

        store.close();

        assertThat(store.isOpen()).isFalse();
    }

    @Test
    void databaseFileDeletedUnderTheRunningStoreIsNotOpen() throws Exception {
        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            Files.delete(QueueFiles.in(data).databaseFile());

            assertThat(store.isOpen()).isFalse();
        }
    }

    /** SHUTDOWN closes every session, the store's own among them; the store opens the file again. */
    @Test
    void databaseShutDownUnderTheStoreIsReopenedAndServesAgain() throws Exception {
        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            QueueId queued = Queueing.queue(store, Envelopes.to("bob@example.net"), Queueing.body(1));

            shutDown(data);

            assertThat(store.isOpen()).isTrue();
            assertThat(store.list()).extracting(MessageSummary::id).containsExactly(queued);
        }
    }

    /**
     * Shut down and its file moved away: not open, and neither the check nor the next use creates
     * an empty database in its place (which would forget the queued mail); once the file is back,
     * open and serving.
     */
    @Test
    void databaseShutDownAndMovedAwayIsNotOpenUntilItIsBack() throws Exception {
        Path file = QueueFiles.in(data).databaseFile();
        Path aside = data.resolve("queue.mv.db.aside");
        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            QueueId queued = Queueing.queue(store, Envelopes.to("bob@example.net"), Queueing.body(1));
            shutDown(data);
            Files.move(file, aside);

            assertThat(store.isOpen()).isFalse();
            assertThatThrownBy(store::list).isInstanceOf(StoreException.class);
            assertThat(file).doesNotExist();

            Files.move(aside, file);
            assertThat(store.isOpen()).isTrue();
            assertThat(store.list()).extracting(MessageSummary::id).containsExactly(queued);
        }
    }

    private static void shutDown(Path data) throws Exception {
        try (Connection connection = DirectConnection.open(data);
             Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
        }
    }
}
