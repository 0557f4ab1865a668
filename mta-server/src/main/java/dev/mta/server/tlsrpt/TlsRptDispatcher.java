package dev.mta.server.tlsrpt;

import dev.mta.queue.MessageStore;
import dev.mta.queue.QueueId;
import dev.mta.queue.StoreException;
import dev.mta.security.dns.DnsResult;
import dev.mta.security.mtasts.TxtLookup;
import dev.mta.security.tlsrpt.HttpsPostOutcome;
import dev.mta.security.tlsrpt.ReportKey;
import dev.mta.security.tlsrpt.TlsRptHttpsSender;
import dev.mta.security.tlsrpt.TlsRptMail;
import dev.mta.security.tlsrpt.TlsRptRecord;
import dev.mta.security.tlsrpt.TlsRptReport;
import dev.mta.security.tlsrpt.TlsRptScheduler;
import dev.mta.security.tlsrpt.TlsRptSettings;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the reports that are due (RFC 8460 4.1: once per UTC day, after a delay). For each, the
 * policy domain's record is looked up at {@code _smtp._tls.<domain>} (RFC 8460 3), and the
 * report goes to every URI in it: one message to all mailto recipients, queued in the relay's
 * own queue (RFC 8460 5.3), and a POST to each https URI (RFC 8460 5.4). No usable record: the
 * domain does not want reports, and the counts are forgotten.
 *
 * <p>Retries (RFC 8460 5.5 lets a sender retry and asks for it up to a day after the first
 * attempt): a failed TXT lookup, a mail that cannot be queued or a POST that is refused or fails
 * keeps the report, and the next run tries again, once per run, only the transports that have not
 * taken it yet (which those are is remembered in memory: after a restart every transport gets the
 * report again, as after a crash between queueing and {@code markSent}; the report-id lets a
 * collector see the duplicate). A report whose attempt fails at or after {@code giveUpAfter} past
 * the end of its day is given up with a warning, even if that was its first attempt, which
 * bounds the work for a collector that is gone. A queued mail is then the queue's business: it
 * retries and bounces to the reporting contact like any mail.
 *
 * <p>One log line per report and run. Not for concurrent use: the relay calls {@link #runOnce}
 * from one scheduled thread.
 */
public final class TlsRptDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(TlsRptDispatcher.class);
    private static final String MAIL = "mailto";

    private final TlsRptScheduler scheduler;
    private final TxtLookup txt;
    private final TlsRptHttpsSender https;
    private final ReportMailQueue mail;
    private final Duration giveUpAfter;
    // Per report, the transports that already took it: "mailto" and https URIs.
    private final Map<ReportKey, Set<String>> delivered = new HashMap<>();

    /**
     * @param scheduler   says which reports are due and forgets those sent
     * @param txt         looks the TLS-RPT records up
     * @param https       POSTs to https URIs
     * @param queue       the relay's queue, for mailed reports (the waking store, so they leave at once)
     * @param hostname    the relay's name, the HELO of the queued message's client info
     * @param giveUpAfter how long after the end of its UTC day a report that still fails is dropped;
     *                    {@link #retryWindow(TlsRptSettings)} gives RFC 8460 5.5's day of retries
     */
    public TlsRptDispatcher(TlsRptScheduler scheduler, TxtLookup txt, TlsRptHttpsSender https, MessageStore queue,
            String hostname, Duration giveUpAfter) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.txt = Objects.requireNonNull(txt, "txt");
        this.https = Objects.requireNonNull(https, "https");
        this.mail = new ReportMailQueue(queue, hostname);
        this.giveUpAfter = Objects.requireNonNull(giveUpAfter, "giveUpAfter");
        if (giveUpAfter.isNegative()) {
            throw new IllegalArgumentException("giveUpAfter must not be negative: " + giveUpAfter);
        }
    }

    /**
     * The send delay plus one day: RFC 8460 5.5 asks for retries "for up to 24 hours after the
     * initial attempt", which is made the send delay after the end of the day.
     */
    public static Duration retryWindow(TlsRptSettings settings) {
        return settings.sendDelay().plus(Duration.ofDays(1));
    }

    /** Sends every report due at {@code now}, oldest first; one outcome per report. Never throws. */
    public List<DispatchOutcome> runOnce(Instant now) {
        List<DispatchOutcome> outcomes = new ArrayList<>();
        for (TlsRptReport report : scheduler.reportsDue(now)) {
            DispatchOutcome outcome;
            try {
                outcome = dispatch(report, now);
            } catch (RuntimeException e) {
                // A scheduled task that throws is never run again; one broken report must not stop reporting.
                outcome = new DispatchOutcome.Deferred(report.key(), "unexpected failure: " + e);
                LOG.error("TLS report domain={} day={}: unexpected failure", report.key().policyDomain(),
                        report.key().day(), e);
            }
            log(outcome);
            outcomes.add(outcome);
        }
        return outcomes;
    }

    private DispatchOutcome dispatch(TlsRptReport report, Instant now) {
        ReportKey key = report.key();
        boolean lastChance = !now.isBefore(key.day().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(giveUpAfter));
        String name = TlsRptRecord.queryName(key.policyDomain());
        Optional<TlsRptRecord> record;
        switch (txt.txt(name)) {
            // RFC 8460 3: the character-strings of one record are concatenated without spaces
            case DnsResult.Found<List<String>> found ->
                    record = TlsRptRecord.parse(found.records().stream().map(strings -> String.join("", strings)).toList());
            case DnsResult.NoData<List<String>> noData -> record = Optional.empty();
            case DnsResult.NxDomain<List<String>> nxDomain -> record = Optional.empty();
            case DnsResult.Failed<List<String>> failed -> {
                String reason = "cannot look up " + name + "/TXT: " + failed.reason();
                return lastChance ? forget(new DispatchOutcome.GivenUp(key, reason)) : new DispatchOutcome.Deferred(key, reason);
            }
        }
        if (record.isEmpty()) {
            return forget(new DispatchOutcome.NoRecord(key));
        }
        Set<String> done = delivered.computeIfAbsent(key, k -> new HashSet<>());
        List<String> results = new ArrayList<>();
        boolean failed = false;
        List<String> mailboxes = record.get().mailtoAddresses();
        if (!mailboxes.isEmpty() && !done.contains(MAIL)) {
            String to = mailboxes.stream().map(m -> "<" + m + ">").collect(Collectors.joining(","));
            try {
                QueueId id = mail.queue(TlsRptMail.compose(report, mailboxes, now), now);
                done.add(MAIL);
                results.add("mail to=" + to + " queued id=" + id.value());
            } catch (StoreException | IOException e) {
                failed = true;
                results.add("mail to=" + to + " not queued: " + e.getMessage());
            }
        }
        for (URI uri : record.get().httpsUris()) {
            if (done.contains(uri.toString())) {
                continue;
            }
            HttpsPostOutcome posted = https.post(uri, report);
            switch (posted) {
                case HttpsPostOutcome.Accepted accepted -> {
                    done.add(uri.toString());
                    results.add(uri + " accepted (" + accepted.status() + ")");
                }
                case HttpsPostOutcome.Refused refused -> {
                    failed = true;
                    results.add(uri + " refused (" + refused.status() + ")");
                }
                case HttpsPostOutcome.Failed failure -> {
                    failed = true;
                    results.add(uri + " failed: " + failure.reason());
                }
            }
        }
        if (!failed) {
            return forget(new DispatchOutcome.Sent(key, results));
        }
        String reason = String.join("; ", results);
        return lastChance ? forget(new DispatchOutcome.GivenUp(key, reason)) : new DispatchOutcome.Deferred(key, reason);
    }

    private DispatchOutcome forget(DispatchOutcome outcome) {
        scheduler.markSent(outcome.report());
        delivered.remove(outcome.report());
        return outcome;
    }

    private static void log(DispatchOutcome outcome) {
        ReportKey key = outcome.report();
        switch (outcome) {
            case DispatchOutcome.Sent sent -> LOG.info("TLS report domain={} day={} sent: {}", key.policyDomain(), key.day(),
                    String.join("; ", sent.transports()));
            case DispatchOutcome.NoRecord none -> LOG.info("TLS report domain={} day={} dropped: no usable TLS-RPT record at {}",
                    key.policyDomain(), key.day(), TlsRptRecord.queryName(key.policyDomain()));
            case DispatchOutcome.Deferred deferred -> LOG.info("TLS report domain={} day={} kept for the next run: {}",
                    key.policyDomain(), key.day(), deferred.reason());
            case DispatchOutcome.GivenUp givenUp -> LOG.warn("TLS report domain={} day={} given up: {}", key.policyDomain(),
                    key.day(), givenUp.reason());
        }
    }
}
