package dev.mta.server.pickup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.MessageDetail;
import dev.mta.queue.MessageSummary;
import dev.mta.queue.h2.H2MessageStore;
import dev.mta.queue.h2.H2StoreSettings;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PickupServiceTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:15:30Z"), ZoneOffset.UTC);
    private static final DropEnvelope.Submitter ALICE = new DropEnvelope.Submitter("alice", 1000);

    @TempDir
    Path data;

    private H2MessageStore store;
    private DropDirectory drop;
    private MailDropWriter writer;
    private PickupService pickup;

    @BeforeEach
    void open() throws Exception {
        store = H2MessageStore.open(H2StoreSettings.defaults(data).withClock(CLOCK));
        drop = DropDirectory.inDataDirectory(data);
        writer = new MailDropWriter(drop, CLOCK);
        pickup = new PickupService(drop, store, "mta.example.org", CLOCK, Duration.ofSeconds(1));
    }

    @AfterEach
    void close() {
        pickup.close();
        store.close();
    }

    private static InputStream text(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private String queuedBody(MessageSummary message) throws Exception {
        try (InputStream body = store.openBody(message.id())) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aDroppedMessageIsQueuedWithItsEnvelopeAndCrlfBodyAndTheFileIsGone() throws Exception {
        DropEnvelope envelope = new DropEnvelope("alice@example.org",
                List.of(new EnvelopeRecipient("bob@example.net", Set.of(EnvelopeRecipient.Notify.SUCCESS, EnvelopeRecipient.Notify.FAILURE),
                                Optional.of("rfc822;Bob Smith@example.net")),
                        EnvelopeRecipient.of("carol@example.net")),
                Envelope.BodyType.SEVEN_BIT, false, Optional.of(Envelope.DsnReturn.HDRS), Optional.of("job-42"), ALICE);

        DroppedMessage dropped = writer.drop(envelope, text("Subject: cron\n\nline one\r\nline two\n"));

        assertThat(Files.exists(drop.ready().resolve(dropped.name()))).isTrue();
        assertThat(dropped.size()).isEqualTo("Subject: cron\r\n\r\nline one\r\nline two\r\n".length());
        assertThat(pickup.runOnce()).isEqualTo(1);

        List<MessageSummary> queued = store.list();
        assertThat(queued).hasSize(1);
        MessageDetail detail = store.find(queued.getFirst().id()).orElseThrow();
        Envelope stored = detail.envelope();
        assertThat(stored.sender()).isEqualTo("alice@example.org");
        assertThat(stored.recipients()).containsExactlyElementsOf(envelope.recipients());
        assertThat(stored.dsnReturn()).contains(Envelope.DsnReturn.HDRS);
        assertThat(stored.dsnEnvelopeId()).contains("job-42");
        assertThat(stored.origin()).isEqualTo(Envelope.Origin.SUBMITTED);
        // the file's owner, not the user the drop file declares (ALICE), is who sent it
        Path probe = Files.createTempFile(drop.root(), "owner", "");
        String owner = Files.getOwner(probe).getName();
        long uid = ((Number) Files.getAttribute(probe, "unix:uid")).longValue();
        assertThat(stored.client()).isEqualTo(new Envelope.ClientInfo("127.0.0.1", "sendmail", Optional.of(owner)));
        assertThat(stored.receivedAt()).isEqualTo(CLOCK.instant());
        assertThat(queuedBody(queued.getFirst())).isEqualTo(
                "Received: by mta.example.org (mta pickup, from userid " + uid + ")\r\n\tid " + detail.id()
                        + ";\r\n\tSun, 1 Mar 2026 10:15:30 +0000\r\n"
                        + "Subject: cron\r\n\r\nline one\r\nline two\r\n");
        try (var left = Files.list(drop.ready())) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void anUnterminatedLastLineGetsItsCrlf() throws Exception {
        writer.drop(DropEnvelope.of("a@example.org", List.of("b@example.net"), Envelope.BodyType.SEVEN_BIT, ALICE),
                text("Subject: x\n\nno newline at the end"));

        pickup.runOnce();

        assertThat(queuedBody(store.list().getFirst())).endsWith("\r\n\r\nno newline at the end\r\n");
    }

    @Test
    void filesDroppedWhileTheServerIsDownAreAllQueuedOldestFirstByTheNextRun() throws Exception {
        // no pickup runs while these are dropped: the server is down
        for (int i = 0; i < 5; i++) {
            Clock later = Clock.offset(CLOCK, Duration.ofSeconds(i));
            new MailDropWriter(drop, later).drop(
                    DropEnvelope.of("cron@example.org", List.of("r" + i + "@example.net"), Envelope.BodyType.SEVEN_BIT, ALICE),
                    text("Subject: " + i + "\n\nbody\n"));
        }
        try (var waiting = Files.list(drop.ready())) {
            assertThat(waiting).hasSize(5);
        }

        assertThat(pickup.runOnce()).isEqualTo(5);

        // the store lists oldest first; same receive time, so check the set and that all went
        assertThat(store.list()).extracting(m -> m.recipients().getFirst().address())
                .containsExactlyInAnyOrder("r0@example.net", "r1@example.net", "r2@example.net", "r3@example.net", "r4@example.net");
        try (var left = Files.list(drop.ready())) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aRunTakesAtMostOneBatchOldestFirst() throws Exception {
        PickupService small = new PickupService(drop, store, "mta.example.org", CLOCK, Duration.ofSeconds(1), 2);
        for (int i = 0; i < 3; i++) {
            new MailDropWriter(drop, Clock.offset(CLOCK, Duration.ofSeconds(i))).drop(
                    DropEnvelope.of("cron@example.org", List.of("r" + i + "@example.net"), Envelope.BodyType.SEVEN_BIT, ALICE),
                    text("x\n"));
        }

        assertThat(small.runOnce()).isEqualTo(2);

        assertThat(store.list()).extracting(m -> m.recipients().getFirst().address())
                .containsExactlyInAnyOrder("r0@example.net", "r1@example.net");
        assertThat(small.runOnce()).isEqualTo(1);
    }

    @Test
    void aCorruptFileGoesToCorruptAndTheOthersAreStillPickedUp() throws Exception {
        writer.drop(DropEnvelope.of("a@example.org", List.of("b@example.net"), Envelope.BodyType.SEVEN_BIT, ALICE), text("one\n"));
        Path garbage = drop.ready().resolve("0000000000001.1.0123456789abcdef");
        Files.writeString(garbage, "MTA-DROP 1\nsender: a@example.org\nrcpt: <no-brackets\n\nbody\n");
        Path wrongMagic = drop.ready().resolve("0000000000002.1.0123456789abcdef");
        Files.writeString(wrongMagic, "From a@example.org\n\nbody\n");
        writer.drop(DropEnvelope.of("a@example.org", List.of("c@example.net"), Envelope.BodyType.SEVEN_BIT, ALICE), text("two\n"));

        assertThat(pickup.runOnce()).isEqualTo(2);

        assertThat(store.list()).hasSize(2);
        assertThat(drop.corrupt().resolve(garbage.getFileName())).hasContent(
                "MTA-DROP 1\nsender: a@example.org\nrcpt: <no-brackets\n\nbody");
        assertThat(drop.corrupt().resolve(wrongMagic.getFileName())).exists();
        try (var left = Files.list(drop.ready())) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void headerValuesAreValidatedOnRead() throws Exception {
        List<String> bad = List.of(
                "MTA-DROP 1\nsender: a@example.org\nbody: 7bit\nsmtputf8: no\nuser: alice\nuid: 1\n\nx\n", // no rcpt
                "MTA-DROP 1\nsender: a@example.org\nrcpt: <b@example.net>\nbody: binary\nsmtputf8: no\nuser: alice\nuid: 1\n\nx\n",
                "MTA-DROP 1\nsender: a@example.org\nrcpt: <b@example.net>\nbody: 7bit\nsmtputf8: no\nuser: alice\nuid: one\n\nx\n",
                "MTA-DROP 1\nsender: a@example.org\nrcpt: <bé@example.net>\nbody: 7bit\nsmtputf8: no\nuser: alice\nuid: 1\n\nx\n",
                "MTA-DROP 1\nsender: a@example.org\nsender: b@example.org\nrcpt: <b@example.net>\nbody: 7bit\nsmtputf8: no\nuser: alice\nuid: 1\n\nx\n",
                "MTA-DROP 1\nsender: a@example.org\nrcpt: <b@example.net> notify=NEVER,SUCCESS\nbody: 7bit\nsmtputf8: no\nuser: alice\nuid: 1\n\nx\n",
                "MTA-DROP 1\nsender: a@example.org\nrcpt: <b@example.net>\nbody: 7bit\nsmtputf8: no\nuser: alice\nuid: 1\nx-extra: 1\n\nx\n",
                "MTA-DROP 1\nsender: a@example.org\nrcpt: <b@example.net>\nbody: 7bit\n"); // ends inside the header
        for (int i = 0; i < bad.size(); i++) {
            Files.writeString(drop.ready().resolve("000000000000" + i + ".1.0123456789abcdef"), bad.get(i));
        }

        assertThat(pickup.runOnce()).isZero();

        assertThat(store.list()).isEmpty();
        try (var corrupt = Files.list(drop.corrupt())) {
            assertThat(corrupt).hasSize(bad.size());
        }
    }

    @Test
    void aHalfWrittenFileInTmpIsNeverPickedUp() throws Exception {
        Files.writeString(drop.tmp().resolve("0000000000001.1.0123456789abcdef"),
                "MTA-DROP 1\nsender: a@example.org\nrcpt: <b@example.net>\nbody: 7bit\nsmtputf8: no\nuser: alice\nuid: 1\n\nhalf");

        assertThat(pickup.runOnce()).isZero();

        assertThat(store.list()).isEmpty();
        assertThat(drop.tmp().resolve("0000000000001.1.0123456789abcdef")).exists();
    }

    @Test
    void aFailedWriteLeavesNothingInTmpOrNew() throws Exception {
        InputStream failing = new InputStream() {
            private int sent;

            @Override
            public int read() throws java.io.IOException {
                if (sent++ < 100) {
                    return 'x';
                }
                throw new java.io.IOException("No space left on device");
            }
        };

        org.assertj.core.api.Assertions.assertThatIOException().isThrownBy(() -> writer.drop(
                DropEnvelope.of("a@example.org", List.of("b@example.net"), Envelope.BodyType.SEVEN_BIT, ALICE), failing))
                .withMessageContaining("No space");

        try (var tmp = Files.list(drop.tmp()); var ready = Files.list(drop.ready())) {
            assertThat(tmp).isEmpty();
            assertThat(ready).isEmpty();
        }
    }

    @Test
    void whenTheQueueRefusesTheFileStaysInNew() throws Exception {
        DroppedMessage dropped = writer.drop(
                DropEnvelope.of("a@example.org", List.of("b@example.net"), Envelope.BodyType.SEVEN_BIT, ALICE), text("x\n"));
        Path fullDisk = Files.createDirectory(data.resolve("full"));
        try (H2MessageStore full = H2MessageStore.open(H2StoreSettings.defaults(fullDisk).withMinFreeBytes(Long.MAX_VALUE))) {
            PickupService refused = new PickupService(drop, full, "mta.example.org", CLOCK, Duration.ofSeconds(1));

            assertThat(refused.runOnce()).isZero();

            assertThat(full.list()).isEmpty();
        }
        assertThat(drop.ready().resolve(dropped.name())).exists();
        // once the queue takes mail again, nothing was lost
        assertThat(pickup.runOnce()).isEqualTo(1);
    }

    @Test
    void theNullSenderRoundTrips() throws Exception {
        writer.drop(DropEnvelope.of("", List.of("b@example.net"), Envelope.BodyType.SEVEN_BIT, ALICE), text("x\n"));

        pickup.runOnce();

        Envelope stored = store.find(store.list().getFirst().id()).orElseThrow().envelope();
        assertThat(stored.hasNullSender()).isTrue();
    }

    @Test
    void eightBitAndSmtpUtf8RoundTrip() throws Exception {
        byte[] latin = "Subject: caf\u00e9\n\n\u00fcber\n".getBytes(StandardCharsets.UTF_8);
        writer.drop(new DropEnvelope("j\u00f6rg@example.org", List.of(EnvelopeRecipient.of("b@example.net")),
                Envelope.BodyType.EIGHT_BIT_MIME, true, Optional.empty(), Optional.empty(), ALICE), new ByteArrayInputStream(latin));

        pickup.runOnce();

        MessageSummary message = store.list().getFirst();
        Envelope stored = store.find(message.id()).orElseThrow().envelope();
        assertThat(stored.bodyType()).isEqualTo(Envelope.BodyType.EIGHT_BIT_MIME);
        assertThat(stored.smtpUtf8()).isTrue();
        assertThat(stored.sender()).isEqualTo("j\u00f6rg@example.org");
        assertThat(queuedBody(message)).endsWith("Subject: caf\u00e9\r\n\r\n\u00fcber\r\n");
    }

    @Test
    void concurrentDropsGetUniqueNamesAndAreAllQueued() throws Exception {
        int threads = 50;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<DroppedMessage>> drops = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                String recipient = "r" + i + "@example.net";
                drops.add(pool.submit(() -> {
                    start.await();
                    // the same fixed clock for all: uniqueness cannot come from the time
                    return writer.drop(DropEnvelope.of("a@example.org", List.of(recipient), Envelope.BodyType.SEVEN_BIT, ALICE),
                            text("x\n"));
                }));
            }
            start.countDown();
        }
        List<String> names = new ArrayList<>();
        for (Future<DroppedMessage> dropped : drops) {
            names.add(dropped.get().name());
        }

        assertThat(names).doesNotHaveDuplicates().hasSize(threads)
                .allMatch(name -> DropDirectory.FILE_NAME.matcher(name).matches());
        assertThat(pickup.runOnce()).isEqualTo(threads);
        assertThat(store.list()).hasSize(threads);
    }

    @Test
    void theStartedPollerPicksUpWithoutBeingAsked() throws Exception {
        PickupService polling = new PickupService(drop, store, "mta.example.org", CLOCK, Duration.ofMillis(20));
        polling.start();
        try {
            writer.drop(DropEnvelope.of("a@example.org", List.of("b@example.net"), Envelope.BodyType.SEVEN_BIT, ALICE), text("x\n"));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (store.list().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } finally {
            polling.close();
        }
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void onlyAbandonedTemporaryFilesAreRemoved() throws Exception {
        Path abandoned = Files.writeString(drop.tmp().resolve("0000000000001.1.0123456789abcdef"), "MTA-DROP 1\n");
        Files.setLastModifiedTime(abandoned, java.nio.file.attribute.FileTime.from(CLOCK.instant().minus(Duration.ofHours(37))));
        Path writing = Files.writeString(drop.tmp().resolve("0000000000002.1.0123456789abcdef"), "MTA-DROP 1\n");
        Files.setLastModifiedTime(writing, java.nio.file.attribute.FileTime.from(CLOCK.instant().minus(Duration.ofMinutes(1))));

        assertThat(pickup.removeAbandonedTemporaryFiles(Duration.ofHours(36))).isEqualTo(1);

        assertThat(abandoned).doesNotExist();
        assertThat(writing).exists();
    }

    @Test
    void envelopeValuesThatWouldBreakTheHeaderAreRefusedBeforeAnythingIsWritten() throws Exception {
        List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> attempts = List.of(
                () -> DropEnvelope.of("a@example.org", List.of("b@example.net\nrcpt: <evil@example.com>"), Envelope.BodyType.SEVEN_BIT, ALICE),
                () -> DropEnvelope.of("a@example.org\r", List.of("b@example.net"), Envelope.BodyType.SEVEN_BIT, ALICE),
                () -> DropEnvelope.of("a@example.org", List.of("<b@example.net>"), Envelope.BodyType.SEVEN_BIT, ALICE),
                () -> DropEnvelope.of("a@example.org", List.of("no-domain"), Envelope.BodyType.SEVEN_BIT, ALICE),
                () -> DropEnvelope.of("a@example.org", List.of(), Envelope.BodyType.SEVEN_BIT, ALICE),
                () -> new DropEnvelope("a@example.org", List.of(new EnvelopeRecipient("b@example.net", Set.of(),
                        Optional.of("rfc822;b@example.net\nuid: 0"))), Envelope.BodyType.SEVEN_BIT, false, Optional.empty(),
                        Optional.empty(), ALICE),
                () -> new DropEnvelope("a@example.org", List.of(EnvelopeRecipient.of("b@example.net")), Envelope.BodyType.SEVEN_BIT,
                        false, Optional.empty(), Optional.of("id\nuser: root"), ALICE),
                () -> new DropEnvelope("j\u00f6rg@example.org", List.of(EnvelopeRecipient.of("b@example.net")),
                        Envelope.BodyType.SEVEN_BIT, false, Optional.empty(), Optional.empty(), ALICE),
                () -> new DropEnvelope.Submitter("alice\nuid: 0", 1000));
        for (var attempt : attempts) {
            org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(attempt);
        }
    }
}
