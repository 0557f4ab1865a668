package dev.mta.delivery.notice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.delivery.dsn.DsnComposer;
import dev.mta.queue.ClaimedRecipient;
import dev.mta.queue.Diagnosis;
import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.EnvelopeRecipient.Notify;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.MessageDetail;
import dev.mta.queue.MessageStore;
import dev.mta.queue.MessageSummary;
import dev.mta.queue.QueueId;
import dev.mta.queue.Settlement;
import dev.mta.queue.h2.H2MessageStore;
import dev.mta.queue.h2.H2StoreSettings;
import dev.mta.queue.retry.QueueLifetime;
import dev.mta.testsupport.time.TestClock;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.MimeConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 8689 4.3: the notices about a message sent with REQUIRETLS return only its header section
 * (RET=FULL is disregarded) and are themselves queued with REQUIRETLS, down to the postmaster's
 * notice when such a notice fails. Run against a real H2 queue in a temporary directory.
 */
class RequireTlsNoticeTest {
    private static final Instant START = Instant.parse("2026-11-23T08:00:00Z");
    private static final String HOSTNAME = "relay.test";
    private static final String SENDER = "alice@sender.example";
    private static final String RECIPIENT = "bob@example.org";
    private static final String POSTMASTER = "postmaster@relay.test";
    private static final String BODY_LINE = "The body that must not come back.";
    private static final String ORIGINAL = "Subject: secret plans\r\nMessage-ID: <m1@sender.example>\r\n\r\n"
            + BODY_LINE + "\r\n";
    private static final Duration LEASE = Duration.ofMinutes(5);

    @TempDir
    Path directory;

    private final TestClock clock = new TestClock(START);
    private final AtomicInteger tokens = new AtomicInteger();
    private MessageStore store;
    private Notifier notifier;

    @BeforeEach
    void openQueue() throws Exception {
        store = H2MessageStore.open(H2StoreSettings.defaults(directory.resolve("data")).withClock(clock));
        notifier = new Notifier(store, new DsnComposer(() -> "t" + tokens.incrementAndGet()), HOSTNAME, POSTMASTER,
                Duration.ofHours(4), QueueLifetime.DEFAULT, clock);
    }

    @AfterEach
    void closeQueue() {
        store.close();
    }

    @Test
    void bounceOfARequireTlsMessageDisregardsRetFullAndReturnsOnlyTheHeaders() throws Exception {
        QueueId original = queue(true, EnvelopeRecipient.of(RECIPIENT));
        settle(original, new Settlement.Bounced(Diagnosis.remote("5.1.1", "550 5.1.1 user unknown", "mx1.example.org"), true));

        assertThat(notifier.runOnce()).isEqualTo(1);

        assertReturnsHeadersOnly(onlyNoticeTo(SENDER));
    }

    @Test
    void bounceOfARequireTlsMessageIsQueuedWithRequireTlsFromTheNullSender() throws Exception {
        QueueId original = queue(true, EnvelopeRecipient.of(RECIPIENT));
        settle(original, new Settlement.Bounced(Diagnosis.remote("5.1.1", "550 5.1.1 user unknown", "mx1.example.org"), true));

        notifier.runOnce();

        Envelope notice = onlyNoticeTo(SENDER).envelope();
        assertThat(notice.requireTls()).isTrue();
        assertThat(notice.hasNullSender()).isTrue();
        assertThat(notice.origin()).isEqualTo(Envelope.Origin.DELIVERY_NOTICE);
    }

    @Test
    void delayWarningOfARequireTlsMessageIsQueuedWithRequireTlsAndCarriesOnlyTheHeaders() throws Exception {
        QueueId original = queue(true, EnvelopeRecipient.of(RECIPIENT));
        settle(original, new Settlement.Deferred(Diagnosis.remote("4.2.1", "451 4.2.1 try later", "mx1.example.org"),
                START.plus(Duration.ofHours(6))));
        clock.advance(Duration.ofHours(5));

        assertThat(notifier.runOnce()).isEqualTo(1);

        MessageDetail notice = onlyNoticeTo(SENDER);
        assertThat(notice.envelope().requireTls()).isTrue();
        assertReturnsHeadersOnly(notice);
    }

    @Test
    void relayedNoticeOfARequireTlsMessageIsQueuedWithRequireTlsAndCarriesOnlyTheHeaders() throws Exception {
        QueueId original = queue(true,
                new EnvelopeRecipient(RECIPIENT, Set.of(Notify.SUCCESS, Notify.FAILURE), Optional.empty()));
        settle(original, new Settlement.Delivered(Diagnosis.remote("2.0.0", "250 2.0.0 queued", "mx1.example.org"), true));

        assertThat(notifier.runOnce()).isEqualTo(1);

        MessageDetail notice = onlyNoticeTo(SENDER);
        assertThat(notice.envelope().requireTls()).isTrue();
        assertReturnsHeadersOnly(notice);
    }

    @Test
    void bounceOfAMessageWithoutRequireTlsStillReturnsTheWholeMessageForRetFull() throws Exception {
        QueueId original = queue(false, EnvelopeRecipient.of(RECIPIENT));
        settle(original, new Settlement.Bounced(Diagnosis.remote("5.1.1", "550 5.1.1 user unknown", "mx1.example.org"), true));

        notifier.runOnce();

        MessageDetail notice = onlyNoticeTo(SENDER);
        assertThat(notice.envelope().requireTls()).isFalse();
        Message dsn = parse(notice);
        assertThat(part(dsn, 2).getMimeType()).isEqualTo("message/rfc822");
        assertThat(text(notice)).contains("Subject: secret plans", BODY_LINE);
    }

    @Test
    void failedBounceOfARequireTlsMessageReachesThePostmasterWithRequireTlsAndOnlyHeaders() throws Exception {
        QueueId original = queue(true, EnvelopeRecipient.of(RECIPIENT));
        settle(original, new Settlement.Bounced(Diagnosis.remote("5.1.1", "550 5.1.1 user unknown", "mx1.example.org"), true));
        notifier.runOnce();
        QueueId bounce = onlyNoticeTo(SENDER).id();
        settle(bounce, new Settlement.Bounced(Diagnosis.remote("5.7.30", "550 5.7.30 REQUIRETLS not supported",
                "mx.sender.example"), true));

        // RFC 8689 4.3: REQUIRETLS SHOULD NOT cause the bounce to be discarded; the postmaster hears of it.
        assertThat(notifier.runOnce()).isEqualTo(1);

        MessageDetail postmasterNotice = onlyNoticeTo(POSTMASTER);
        assertThat(postmasterNotice.envelope().origin()).isEqualTo(Envelope.Origin.POSTMASTER_NOTICE);
        assertThat(postmasterNotice.envelope().hasNullSender()).isTrue();
        assertThat(postmasterNotice.envelope().requireTls()).isTrue();
        // The bounce it reports on carries the original's headers: it comes back as headers only,
        // although a failure notice without RET would otherwise return the whole message.
        assertThat(part(parse(postmasterNotice), 2).getMimeType()).isEqualTo("text/rfc822-headers");
        assertThat(text(postmasterNotice)).doesNotContain("Subject: secret plans");
    }

    private QueueId queue(boolean requireTls, EnvelopeRecipient recipient) throws Exception {
        try (IncomingMessage incoming = store.receive()) {
            incoming.body().write(ORIGINAL.getBytes(StandardCharsets.US_ASCII));
            incoming.commit(new Envelope(SENDER, List.of(recipient), Envelope.BodyType.SEVEN_BIT, false,
                    Optional.of(Envelope.DsnReturn.FULL), Optional.empty(),
                    new Envelope.ClientInfo("192.0.2.10", "client.test", Optional.empty()), clock.instant(),
                    Envelope.Origin.SUBMITTED, requireTls));
            return incoming.id();
        }
    }

    /** Leases the message's one recipient, as a delivery worker would, and records the outcome. */
    private void settle(QueueId message, Settlement settlement) throws Exception {
        ClaimedRecipient claimed = store.claimDue(clock.instant(), 100, "test-worker", LEASE).stream()
                .filter(c -> c.ref().message().equals(message))
                .findFirst().orElseThrow();
        assertThat(store.settle(claimed.ref(), "test-worker", settlement)).isTrue();
    }

    /** The one notice the relay queued to {@code address}. */
    private MessageDetail onlyNoticeTo(String address) throws Exception {
        List<MessageDetail> notices = store.list().stream()
                .map(MessageSummary::id)
                .map(this::find)
                .filter(d -> d.envelope().isNotice())
                .filter(d -> d.envelope().recipients().stream().anyMatch(r -> r.address().equals(address)))
                .toList();
        assertThat(notices).hasSize(1);
        return notices.get(0);
    }

    private MessageDetail find(QueueId id) {
        try {
            return store.find(id).orElseThrow();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void assertReturnsHeadersOnly(MessageDetail notice) throws Exception {
        Message dsn = parse(notice);
        assertThat(part(dsn, 2).getMimeType()).isEqualTo("text/rfc822-headers");
        String text = text(notice);
        assertThat(text).contains("Subject: secret plans").doesNotContain(BODY_LINE);
    }

    private String text(MessageDetail notice) throws Exception {
        try (InputStream in = store.openBody(notice.id())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Message parse(MessageDetail notice) throws Exception {
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(MimeConfig.STRICT);
        return builder.parseMessage(new ByteArrayInputStream(text(notice).getBytes(StandardCharsets.UTF_8)));
    }

    private static Entity part(Message dsn, int index) {
        assertThat(dsn.getMimeType()).isEqualTo("multipart/report");
        return ((Multipart) dsn.getBody()).getBodyParts().get(index);
    }
}
