package dev.mta.delivery.notice;

import dev.mta.delivery.attempt.QueuedBody;
import dev.mta.delivery.dsn.ComposedDsn;
import dev.mta.delivery.dsn.DsnAction;
import dev.mta.delivery.dsn.DsnComposer;
import dev.mta.delivery.dsn.DsnDiagnostic;
import dev.mta.delivery.dsn.DsnRecipient;
import dev.mta.delivery.dsn.DsnReport;
import dev.mta.delivery.dsn.ReturnContent;
import dev.mta.queue.Diagnosis;
import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.MessageStore;
import dev.mta.queue.NoticeKind;
import dev.mta.queue.PendingNotice;
import dev.mta.queue.PendingNotices;
import dev.mta.queue.RecipientState;
import dev.mta.queue.StoreException;
import dev.mta.queue.retry.QueueLifetime;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the DSNs the queue says are owed (Postfix's bounce daemon): one per message and kind,
 * listing its recipients. The DSN is queued as a new message from the null sender (RFC 5321
 * 4.5.5) before the notices are marked sent, so a crash in between sends it twice, never not at
 * all. A failure notice about mail from the null sender goes to the postmaster once; one about a
 * postmaster notice is dropped with a log line (no bounce loops).
 *
 * <p>A notice about a message sent with REQUIRETLS (RFC 8689 4.3) carries only the header section
 * of the original, whatever RET asked for, and is itself queued with REQUIRETLS; so is the
 * postmaster's notice when such a notice fails in turn.
 */
public final class Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    private static final int BATCH = 100;

    private final MessageStore store;
    private final DsnComposer composer;
    private final String hostname;
    private final String postmaster;
    private final Duration delayWarning;
    private final QueueLifetime lifetime;
    private final Clock clock;

    /** @param delayWarning zero: no delay warnings */
    public Notifier(MessageStore store, DsnComposer composer, String hostname, String postmaster,
            Duration delayWarning, QueueLifetime lifetime, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.composer = Objects.requireNonNull(composer, "composer");
        this.hostname = Objects.requireNonNull(hostname, "hostname");
        this.postmaster = Objects.requireNonNull(postmaster, "postmaster");
        this.delayWarning = delayWarning;
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Sends what is owed now; returns the number of DSNs queued. */
    public int runOnce() {
        Instant now = clock.instant();
        // With warnings off, no message is ever old enough for one.
        Duration warnAfter = delayWarning.isZero() ? Duration.ofDays(365_000) : delayWarning;
        List<PendingNotices> pending;
        try {
            pending = store.pendingNotices(now, warnAfter, BATCH);
        } catch (StoreException e) {
            LOG.error("cannot read the notices owed: {}", e.getMessage());
            return 0;
        }
        int sent = 0;
        for (PendingNotices message : pending) {
            for (NoticeKind kind : NoticeKind.values()) {
                List<PendingNotice> ofKind = message.recipients().stream().filter(n -> n.kind() == kind).toList();
                if (ofKind.isEmpty()) {
                    continue;
                }
                try {
                    sent += notify(message, kind, ofKind, now) ? 1 : 0;
                    store.noticesSent(message.message(), ofKind.stream().map(n -> n.ref().index()).toList(), kind);
                } catch (StoreException | IOException e) {
                    // Nothing was marked: the next pass tries again.
                    LOG.error("id={}: cannot send the {} notice: {}", message.message(), kind, e.getMessage());
                }
            }
        }
        return sent;
    }

    private boolean notify(PendingNotices message, NoticeKind kind, List<PendingNotice> notices, Instant now)
            throws StoreException, IOException {
        Envelope envelope = message.envelope();
        List<PendingNotice> wanted = kind == NoticeKind.DELAY
                ? notices.stream().filter(n -> NotifyRules.wantsDelay(n.recipient())).toList()
                : notices;
        if (wanted.isEmpty()) {
            return false;
        }
        String to;
        Envelope.Origin origin;
        if (!envelope.hasNullSender()) {
            to = envelope.sender();
            origin = Envelope.Origin.DELIVERY_NOTICE;
        } else if (kind == NoticeKind.FAILURE && envelope.origin() != Envelope.Origin.POSTMASTER_NOTICE) {
            // RFC 5321 4.5.5 / 6.1: never bounce to the null sender; the postmaster hears of it once.
            // RFC 8689 4.3: REQUIRETLS SHOULD NOT cause a bounce to be discarded, so a failed
            // REQUIRETLS notice takes this path like any other.
            to = postmaster;
            origin = Envelope.Origin.POSTMASTER_NOTICE;
        } else {
            // Delay and success reports on null-sender mail, and a failed postmaster notice (no
            // bounce loops), whether or not REQUIRETLS was given: logged, never silently lost.
            for (PendingNotice notice : wanted) {
                LOG.warn("id={} to=<{}>: {} notice dropped: the message came from the null sender ({})",
                        message.message(), notice.recipient().address(), kind.name().toLowerCase(java.util.Locale.ROOT),
                        notice.diagnosis().text());
            }
            return false;
        }
        DsnReport report = new DsnReport(hostname, to, envelope.dsnEnvelopeId(), envelope.receivedAt(),
                message.message().value(), wanted.stream().map(n -> recipient(kind, n, envelope)).toList(),
                requestedReturn(envelope), envelope.smtpUtf8(), now, DsnReport.mailerDaemonAt(hostname));
        try (IncomingMessage dsn = store.receive()) {
            ComposedDsn composed;
            try (OutputStream out = dsn.body()) {
                composed = composer.write(report, new QueuedBody(store, message.message()), out);
            }
            dsn.commit(new Envelope("", List.of(EnvelopeRecipient.of(to)),
                    composed.eightBitMime() ? Envelope.BodyType.EIGHT_BIT_MIME : Envelope.BodyType.SEVEN_BIT,
                    composed.smtpUtf8(), Optional.empty(), Optional.empty(),
                    new Envelope.ClientInfo("127.0.0.1", hostname, Optional.empty()), now, origin,
                    // RFC 8689 4.3: a non-delivery message about a REQUIRETLS message carries its
                    // headers and MUST itself specify REQUIRETLS. It keeps the null sender, and if
                    // it fails in turn the postmaster's notice inherits REQUIRETLS the same way.
                    envelope.requireTls()));
            LOG.info("id={}: {} notice id={} to=<{}> for {} recipient(s)", message.message(),
                    kind.name().toLowerCase(java.util.Locale.ROOT), dsn.id(), to, wanted.size());
        }
        return true;
    }

    /** How much of the original the sender asked to have back (RFC 3461 4.3 RET), as the DSN may honour it. */
    private static Optional<ReturnContent> requestedReturn(Envelope envelope) {
        if (envelope.requireTls()) {
            // RFC 8689 4.3: a notice about a REQUIRETLS message behaves as if RET=HDRS was given;
            // "If both RET=FULL and REQUIRETLS are present, the RET=FULL MUST be disregarded."
            return Optional.of(ReturnContent.HEADERS);
        }
        return envelope.dsnReturn().map(r -> r == Envelope.DsnReturn.FULL ? ReturnContent.FULL : ReturnContent.HEADERS);
    }

    private DsnRecipient recipient(NoticeKind kind, PendingNotice notice, Envelope envelope) {
        Diagnosis diagnosis = notice.diagnosis();
        DsnAction action = switch (kind) {
            case FAILURE -> DsnAction.FAILED;
            case DELAY -> DsnAction.DELAYED;
            // RFC 3461 5.2.3: the next hop did not take the DSN request; we report "relayed".
            case SUCCESS -> DsnAction.RELAYED;
        };
        Optional<DsnDiagnostic> text = Optional.of(diagnosis.remoteMta().isPresent()
                ? new DsnDiagnostic.SmtpReply(diagnosis.text())
                : new DsnDiagnostic.LocalReason(diagnosis.text()));
        Optional<Instant> retryUntil = kind == NoticeKind.DELAY ? Optional.of(lifetime.expiresAt(envelope)) : Optional.empty();
        String status = diagnosis.status();
        if (kind == NoticeKind.DELAY && !status.startsWith("4")) {
            status = "4.0.0";
        }
        return new DsnRecipient(notice.recipient().address(), notice.recipient().originalRecipient(), action, status,
                diagnosis.remoteMta(), text, notice.state() == RecipientState.QUEUED ? Optional.empty() : Optional.of(notice.lastAttempt()),
                retryUntil);
    }
}
