package dev.mta.security.tlsrpt;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts every delivery session's TLS outcome into the report of its policy domain and UTC day
 * (RFC 8460 4.1). Memory is bounded by {@link TlsRptSettings}: beyond the number of domains per
 * day or policies per domain a session is dropped (and counted in {@link #droppedSessions()});
 * beyond the number of failure details per policy a failure is still counted, under its result
 * type alone, so the report's totals stay right. Thread-safe; one lock, held for a few map
 * operations per session.
 */
public final class TlsRptRecorder {

    private final TlsRptStore store;
    private final TlsRptSettings settings;
    private final Clock clock;
    private final AtomicLong dropped = new AtomicLong();

    public TlsRptRecorder(TlsRptStore store, TlsRptSettings settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
    }

    /** Counts one session as of now. Does nothing when reporting is off. */
    public void record(SessionOutcome outcome) {
        if (!settings.enabled()) {
            return;
        }
        LocalDate day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        ReportKey key = new ReportKey(day, outcome.policy().policyDomain());
        synchronized (this) {
            if (!store.contains(key, outcome.policy()) && !roomForPolicy(key)) {
                dropped.incrementAndGet();
                return;
            }
            Optional<SessionFailure> failure = outcome.failure().map(f -> detailOrResultType(key, outcome.policy(), f));
            store.add(key, outcome.policy(), failure);
        }
    }

    /** Sessions not counted because a limit was reached, since start. */
    public long droppedSessions() {
        return dropped.get();
    }

    private boolean roomForPolicy(ReportKey key) {
        int policies = store.policyCount(key);
        if (policies == 0) {
            return store.reportCount(key.day()) < settings.maxDomainsPerDay();
        }
        return policies < settings.maxPoliciesPerDomain();
    }

    private SessionFailure detailOrResultType(ReportKey key, AppliedPolicy policy, SessionFailure failure) {
        if (store.contains(key, policy, failure)
                || store.failureCount(key, policy) < settings.maxFailureDetailsPerPolicy()) {
            return failure;
        }
        return failure.resultTypeOnly();
    }
}
