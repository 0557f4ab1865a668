package dev.mta.queue.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.MessageDetail;
import dev.mta.queue.MessageSummary;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientState;
import dev.mta.queue.RecipientStatus;
import dev.mta.queue.StoreException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReceiveAndCommitTest {
    @TempDir
    Path data;
    H2MessageStore store;

    @BeforeEach
    void open() throws StoreException {
        store = H2MessageStore.open(Queueing.settings(data));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void receiveStreamsTheBodyIntoASpoolFileInIncoming() throws Exception {
        try (IncomingMessage message = store.receive()) {
            message.body().write("Subject: hi\r\n".getBytes(StandardCharsets.US_ASCII));
            message.body().flush();
            Path spoolFile = data.resolve("queue/incoming").resolve(message.id().value());
            assertThat(spoolFile).hasContent("Subject: hi\r\n");
            assertThat(message.size()).isEqualTo(13);
        }
    }

    @Test
    void commitMovesTheBodyIntoBodiesAndLeavesNothingInIncoming() throws Exception {
        QueueId id = Queueing.queue(store, Envelopes.to("bob@example.net"), Queueing.body(1));

        java.nio.file.Path file = data.resolve("queue/bodies").resolve(id.value());
        dev.mta.queue.spool.EnvelopeTrailer.Contents contents = dev.mta.queue.spool.EnvelopeTrailer.read(file);
        assertThat(new String(java.nio.file.Files.readAllBytes(file), 0, (int) contents.bodyLength(),
                java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo(Queueing.body(1));
        assertThat(contents.envelope()).as("the envelope kept after the body").contains(Envelopes.to("bob@example.net"));
        assertThat(data.resolve("queue/incoming")).isEmptyDirectory();
    }

    @Test
    void closingWithoutCommitDeletesTheSpoolFile() throws Exception {
        Path spoolFile;
        try (IncomingMessage message = store.receive()) {
            message.body().write(new byte[1000]);
            spoolFile = data.resolve("queue/incoming").resolve(message.id().value());
            assertThat(spoolFile).exists();
        }
        assertThat(spoolFile).doesNotExist();
        assertThat(store.list()).isEmpty();
    }

    @Test
    void closingTheBodyStreamDoesNotPreventTheCommit() throws Exception {
        QueueId id;
        try (IncomingMessage message = store.receive()) {
            try (OutputStream body = message.body()) {
                body.write(Queueing.body(2).getBytes(StandardCharsets.US_ASCII));
            }
            message.commit(Envelopes.to("bob@example.net"));
            id = message.id();
        }
        assertThat(store.openBody(id)).hasContent(Queueing.body(2));
    }

    @Test
    void writingAfterTheCommitFails() throws Exception {
        try (IncomingMessage message = store.receive()) {
            message.body().write('x');
            message.commit(Envelopes.to("bob@example.net"));
            assertThatThrownBy(() -> message.body().write('y')).hasMessageContaining("already committed");
        }
    }

    @Test
    void committedMessageIsFoundWithItsWholeEnvelope() throws Exception {
        Envelope envelope = new Envelope("alice@example.org",
                List.of(new EnvelopeRecipient("Bob@Example.NET",
                                Set.of(EnvelopeRecipient.Notify.FAILURE, EnvelopeRecipient.Notify.DELAY),
                                Optional.of("rfc822;bob@example.net")),
                        new EnvelopeRecipient("carol@example.com", Set.of(EnvelopeRecipient.Notify.NEVER), Optional.empty()),
                        EnvelopeRecipient.of("dave@example.com")),
                Envelope.BodyType.EIGHT_BIT_MIME, true, Optional.of(Envelope.DsnReturn.HDRS), Optional.of("env-42"),
                new Envelope.ClientInfo("2001:db8::25", "mail.example.org", Optional.of("alice")),
                Instant.parse("2026-03-01T09:59:59.123456789Z"));

        QueueId id = Queueing.queue(store, envelope, Queueing.body(3));

        MessageDetail detail = store.find(id).orElseThrow();
        assertThat(detail.envelope()).isEqualTo(envelope);
        assertThat(detail.size()).isEqualTo(Queueing.body(3).length());
        assertThat(detail.recipients()).extracting(RecipientStatus::address)
                .containsExactly("Bob@Example.NET", "carol@example.com", "dave@example.com");
    }

    @Test
    void newRecipientsAreQueuedAndDueAtOnce() throws Exception {
        QueueId id = Queueing.queue(store, Envelopes.to("bob@example.net", "carol@example.com"), Queueing.body(4));

        assertThat(store.find(id).orElseThrow().recipients()).containsExactly(
                new RecipientStatus(0, "bob@example.net", RecipientState.QUEUED, 0, Optional.of(Queueing.NOW),
                        Optional.empty(), Optional.empty(), Optional.empty(), false),
                new RecipientStatus(1, "carol@example.com", RecipientState.QUEUED, 0, Optional.of(Queueing.NOW),
                        Optional.empty(), Optional.empty(), Optional.empty(), false));
    }

    @Test
    void listShowsEveryMessageOldestFirst() throws Exception {
        QueueId newest = Queueing.queue(store, Envelopes.receivedAt(Instant.parse("2026-03-01T10:00:03Z"), "a@example.net"), "3");
        QueueId oldest = Queueing.queue(store, Envelopes.receivedAt(Instant.parse("2026-03-01T10:00:01Z"), "b@example.net"), "1");
        QueueId middle = Queueing.queue(store, Envelopes.receivedAt(Instant.parse("2026-03-01T10:00:02Z"), "c@example.net",
                "d@example.net"), "22");

        List<MessageSummary> listing = store.list();

        assertThat(listing).extracting(MessageSummary::id).containsExactly(oldest, middle, newest);
        MessageSummary second = listing.get(1);
        assertThat(second.sender()).isEqualTo("alice@example.org");
        assertThat(second.size()).isEqualTo(2);
        assertThat(second.receivedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:02Z"));
        assertThat(second.recipients()).extracting(RecipientStatus::address).containsExactly("c@example.net", "d@example.net");
    }

    @Test
    void openBodyReturnsTheBytesAsWritten() throws Exception {
        byte[] body = new byte[300_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31);
        }
        QueueId id = Queueing.queue(store, Envelopes.to("bob@example.net"), body);

        try (InputStream in = store.openBody(id)) {
            assertThat(in.readAllBytes()).isEqualTo(body);
        }
    }

    @Test
    void unknownMessagesAreNotFoundAndHaveNoBody() throws Exception {
        QueueId unknown = QueueId.random();

        assertThat(store.find(unknown)).isEmpty();
        assertThatThrownBy(() -> store.openBody(unknown)).isInstanceOf(StoreException.class)
                .hasMessageContaining("has no body");
    }

    @Test
    void aClosedStoreRefusesWork() throws Exception {
        store.close();

        assertThatThrownBy(() -> store.receive()).isInstanceOf(StoreException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> store.list()).isInstanceOf(StoreException.class).hasMessageContaining("closed");
    }

    @Test
    void theDatabaseFileAndBodiesStayInTheQueueDirectory() throws Exception {
        Queueing.queue(store, Envelopes.to("bob@example.net"), Queueing.body(5));

        assertThat(Files.exists(data.resolve("queue/queue.mv.db"))).isTrue();
        assertThat(Files.exists(data.resolve("queue/database.created"))).isTrue();
        assertThat(Files.exists(data.resolve("queue/database.credentials"))).isTrue();
    }

    @Test
    void theRequireTlsFlagOfMailIsKeptWithTheMessage() throws Exception {
        {
            dev.mta.queue.QueueId id;
            try (dev.mta.queue.IncomingMessage incoming = store.receive()) {
                incoming.body().write("Subject: x\r\n\r\nx\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                incoming.commit(new dev.mta.queue.Envelope("a@example.org", java.util.List.of(dev.mta.queue.EnvelopeRecipient.of("b@example.net")),
                        dev.mta.queue.Envelope.BodyType.SEVEN_BIT, false, java.util.Optional.empty(), java.util.Optional.empty(),
                        new dev.mta.queue.Envelope.ClientInfo("192.0.2.1", "c.test", java.util.Optional.empty()),
                        java.time.Instant.parse("2026-11-23T10:00:00Z"), dev.mta.queue.Envelope.Origin.SUBMITTED, true));
                id = incoming.id();
            }
            org.assertj.core.api.Assertions.assertThat(store.find(id).orElseThrow().envelope().requireTls()).isTrue();
        }
    }
}
