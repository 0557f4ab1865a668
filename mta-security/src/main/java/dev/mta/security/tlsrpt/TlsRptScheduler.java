package dev.mta.security.tlsrpt;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Which reports are due: once per UTC day (RFC 8460 4.1), every completed day's report that has
 * not been sent, after the configured delay past midnight. Sending is the caller's; it calls
 * {@link #markSent} when a report has been handed to every transport (or given up on), which
 * forgets its counts.
 */
public final class TlsRptScheduler {

    private final TlsRptStore store;
    private final TlsRptSettings settings;

    public TlsRptScheduler(TlsRptStore store, TlsRptSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    /** The reports of every day that ended at least the send delay before {@code now}, oldest first. */
    public List<TlsRptReport> reportsDue(Instant now) {
        if (!settings.enabled()) {
            return List.of();
        }
        // A day D is complete at D+1 00:00 UTC; its report is due sendDelay later.
        LocalDate lastCompleteDay = LocalDate.ofInstant(now.minus(settings.sendDelay()), ZoneOffset.UTC).minusDays(1);
        List<TlsRptReport> due = new ArrayList<>();
        for (ReportKey key : store.reportKeys()) {
            if (key.day().isAfter(lastCompleteDay)) {
                continue;
            }
            List<PolicyCounts> counts = store.counts(key);
            if (!counts.isEmpty()) {
                due.add(TlsRptReport.of(key, counts, settings));
            }
        }
        return due;
    }

    /** Forgets a report's counts: it will not be due again. */
    public void markSent(ReportKey key) {
        store.remove(key);
    }
}
