package dev.mta.queue.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.queue.Attempt;
import dev.mta.queue.ClaimedRecipient;
import dev.mta.queue.Diagnosis;
import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.MessageDetail;
import dev.mta.queue.NoticeKind;
import dev.mta.queue.PendingNotice;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientRef;
import dev.mta.queue.RecipientState;
import dev.mta.queue.RecipientStatus;
import dev.mta.queue.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A queue written by the first release (schema version 1) opens, is migrated to the current version, and works. */
class SchemaMigrationTest {
    private static final Instant NOW = Queueing.NOW;
    private static final Instant RECEIVED = Instant.parse("2026-02-28T09:00:00Z");
    private static final Instant TRIED = Instant.parse("2026-02-28T09:05:00Z");
    private static final Instant RETRY = Instant.parse("2026-02-28T09:35:00Z");
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final QueueId OLD = new QueueId("0123456789AB");

    @TempDir
    Path data;

    @Test
    void aVersionOneQueueOpensWithItsMessagesStatesAndHistory() throws Exception {
        writeVersionOneQueue();

        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            assertThat(schemaVersion()).isEqualTo(Schema.VERSION);
            MessageDetail message = store.find(OLD).orElseThrow();
            assertThat(message.envelope().origin()).isEqualTo(Envelope.Origin.SUBMITTED);
            assertThat(message.envelope().recipients()).extracting(EnvelopeRecipient::address)
                    .containsExactly("queued@example.net", "deferred@example.net", "bounced@example.net");
            assertThat(message.recipients()).containsExactly(
                    new RecipientStatus(0, "queued@example.net", RecipientState.QUEUED, 0, Optional.of(RECEIVED),
                            Optional.empty(), Optional.empty(), Optional.empty(), false),
                    new RecipientStatus(1, "deferred@example.net", RecipientState.DEFERRED, 1, Optional.of(RETRY),
                            Optional.of(TRIED), Optional.of(Diagnosis.local("4.0.0", "451 4.7.1 greylisted")),
                            Optional.empty(), false),
                    new RecipientStatus(2, "bounced@example.net", RecipientState.BOUNCED, 1, Optional.empty(),
                            Optional.of(TRIED), Optional.of(Diagnosis.local("5.0.0", "550 5.1.1 unknown")),
                            Optional.of(NoticeKind.FAILURE), false));
            assertThat(store.attempts(OLD)).extracting(Attempt::diagnosis).containsExactly(
                    Diagnosis.local("4.0.0", "451 4.7.1 greylisted"), Diagnosis.local("5.0.0", "550 5.1.1 unknown"));
            assertThat(store.openBody(OLD)).hasContent(Queueing.body(1));
        }
    }

    /** Version 1 had no notifier, so its bounced recipients never had their failure reported. */
    @Test
    void aBounceOfVersionOneOwesItsFailureNotice() throws Exception {
        writeVersionOneQueue();

        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            assertThat(store.pendingNotices(NOW, Duration.ofDays(1), 10)).singleElement()
                    .satisfies(message -> assertThat(message.recipients()).extracting(PendingNotice::ref, PendingNotice::kind)
                            .containsExactly(
                                    org.assertj.core.groups.Tuple.tuple(new RecipientRef(OLD, 1), NoticeKind.DELAY),
                                    org.assertj.core.groups.Tuple.tuple(new RecipientRef(OLD, 2), NoticeKind.FAILURE)));
        }
    }

    @Test
    void aMigratedQueueIsWorkedLikeANewOne() throws Exception {
        writeVersionOneQueue();

        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            List<ClaimedRecipient> claimed = store.claimDue(NOW, 10, "worker", LEASE);
            assertThat(claimed).extracting(ClaimedRecipient::ref)
                    .containsExactlyInAnyOrder(new RecipientRef(OLD, 0), new RecipientRef(OLD, 1));
            assertThat(store.settle(new RecipientRef(OLD, 0), "worker", Outcomes.delivered("250 2.0.0 ok"))).isTrue();
            assertThat(store.settle(new RecipientRef(OLD, 1), "worker", Outcomes.delivered("250 2.0.0 ok"))).isTrue();
            assertThat(store.find(OLD)).as("the failure notice is still owed").isPresent();

            store.noticesSent(OLD, List.of(2), NoticeKind.FAILURE);

            assertThat(store.find(OLD)).isEmpty();
            assertThat(data.resolve("queue/bodies").resolve(OLD.value())).doesNotExist();
            Envelope notice = new Envelope("", List.of(EnvelopeRecipient.of("alice@example.org")),
                    Envelope.BodyType.SEVEN_BIT, false, Optional.empty(), Optional.empty(),
                    new Envelope.ClientInfo("127.0.0.1", "relay.example", Optional.empty()), NOW,
                    Envelope.Origin.DELIVERY_NOTICE);
            QueueId dsn = Queueing.queue(store, notice, "Subject: Undelivered Mail\r\n\r\n");
            assertThat(store.find(dsn).orElseThrow().envelope()).isEqualTo(notice);
        }
    }

    @Test
    void aReopenDoesNotMigrateAgain() throws Exception {
        writeVersionOneQueue();
        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            store.noticesSent(OLD, List.of(2), NoticeKind.FAILURE);
        }

        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            assertThat(store.find(OLD).orElseThrow().recipients().get(2).pendingNotice()).isEmpty();
        }
    }

    /** H2 commits each DDL statement by itself: a crash during the migration leaves part of it done. */
    @Test
    void aMigrationInterruptedHalfWayIsFinishedAtTheNextOpen() throws Exception {
        try (VersionOneDatabase old = VersionOneDatabase.create(data)) {
            fill(old);
            old.execute("ALTER TABLE message ADD COLUMN IF NOT EXISTS origin VARCHAR(20) DEFAULT 'SUBMITTED' NOT NULL");
            old.execute("ALTER TABLE recipient ADD COLUMN IF NOT EXISTS last_status VARCHAR(11)");
            old.execute("ALTER TABLE attempt ADD COLUMN IF NOT EXISTS status VARCHAR(11)");
        }

        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            assertThat(schemaVersion()).isEqualTo(Schema.VERSION);
            assertThat(store.find(OLD).orElseThrow().recipients().get(1).diagnosis())
                    .contains(Diagnosis.local("4.0.0", "451 4.7.1 greylisted"));
        }
    }

    @Test
    void aQueueOfANewerVersionIsRefused() throws Exception {
        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            assertThat(schemaVersion()).as("a new queue").isEqualTo(Schema.VERSION);
            try (Connection connection = DirectConnection.open(data); Statement statement = connection.createStatement()) {
                statement.execute("UPDATE queue_schema SET version = " + (Schema.VERSION + 1));
            }
        }

        assertThatThrownBy(() -> H2MessageStore.open(Queueing.settings(data)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version " + (Schema.VERSION + 1));
    }

    private void writeVersionOneQueue() throws Exception {
        try (VersionOneDatabase old = VersionOneDatabase.create(data)) {
            fill(old);
        }
    }

    private static void fill(VersionOneDatabase old) throws Exception {
        old.message(OLD, RECEIVED, Queueing.body(1));
        old.recipient(OLD, 0, "queued@example.net", "QUEUED", 0, RECEIVED, null);
        old.recipient(OLD, 1, "deferred@example.net", "DEFERRED", 1, RETRY, "451 4.7.1 greylisted");
        old.recipient(OLD, 2, "bounced@example.net", "BOUNCED", 1, null, "550 5.1.1 unknown");
        old.attempt(OLD, 1, TRIED, "DEFERRED", "451 4.7.1 greylisted");
        old.attempt(OLD, 2, TRIED, "BOUNCED", "550 5.1.1 unknown");
    }

    private int schemaVersion() throws Exception {
        try (Connection connection = DirectConnection.open(data);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT version FROM queue_schema")) {
            assertThat(rows.next()).isTrue();
            int version = rows.getInt(1);
            assertThat(rows.next()).as("one version row").isFalse();
            return version;
        }
    }
}
