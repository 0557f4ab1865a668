package dev.mta.security.tlsrpt;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** A {@link TlsRptStore} in memory: counts since the process started. Thread-safe. */
public final class InMemoryTlsRptStore implements TlsRptStore {

    private final Map<ReportKey, Map<AppliedPolicy, Entry>> reports = new TreeMap<>();
    // reports per day, so that the recorder's limit check does not walk every report
    private final Map<LocalDate, Integer> reportsPerDay = new HashMap<>();

    private static final class Entry {
        long successes;
        final Map<SessionFailure, Long> failures = new HashMap<>();
    }

    @Override
    public synchronized void add(ReportKey key, AppliedPolicy policy, Optional<SessionFailure> failure) {
        Entry entry = reports.computeIfAbsent(key, k -> {
            reportsPerDay.merge(k.day(), 1, Integer::sum);
            return new LinkedHashMap<>();
        }).computeIfAbsent(policy, p -> new Entry());
        failure.ifPresentOrElse(f -> entry.failures.merge(f, 1L, Long::sum), () -> entry.successes++);
    }

    /**
     * Adds whole counts at once: a report kept on disk, loaded without replaying it session by
     * session.
     */
    public synchronized void restore(ReportKey key, PolicyCounts counts) {
        Entry entry = reports.computeIfAbsent(key, k -> {
            reportsPerDay.merge(k.day(), 1, Integer::sum);
            return new LinkedHashMap<>();
        }).computeIfAbsent(counts.policy(), p -> new Entry());
        entry.successes += counts.successfulSessions();
        counts.failures().forEach((failure, sessions) -> entry.failures.merge(failure, sessions, Long::sum));
    }

    @Override
    public synchronized boolean contains(ReportKey key, AppliedPolicy policy) {
        return reports.getOrDefault(key, Map.of()).containsKey(policy);
    }

    @Override
    public synchronized boolean contains(ReportKey key, AppliedPolicy policy, SessionFailure failure) {
        Entry entry = reports.getOrDefault(key, Map.of()).get(policy);
        return entry != null && entry.failures.containsKey(failure);
    }

    @Override
    public synchronized int reportCount(LocalDate day) {
        return reportsPerDay.getOrDefault(day, 0);
    }

    @Override
    public synchronized int policyCount(ReportKey key) {
        return reports.getOrDefault(key, Map.of()).size();
    }

    @Override
    public synchronized int failureCount(ReportKey key, AppliedPolicy policy) {
        Entry entry = reports.getOrDefault(key, Map.of()).get(policy);
        return entry == null ? 0 : entry.failures.size();
    }

    @Override
    public synchronized SortedSet<ReportKey> reportKeys() {
        return new TreeSet<>(reports.keySet());
    }

    @Override
    public synchronized List<PolicyCounts> counts(ReportKey key) {
        List<PolicyCounts> counts = new ArrayList<>();
        reports.getOrDefault(key, Map.of())
                .forEach((policy, entry) -> counts.add(new PolicyCounts(policy, entry.successes, entry.failures)));
        return counts;
    }

    @Override
    public synchronized void remove(ReportKey key) {
        if (reports.remove(key) != null) {
            reportsPerDay.computeIfPresent(key.day(), (day, count) -> count == 1 ? null : count - 1);
        }
    }
}
