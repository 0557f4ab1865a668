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

    private static final class Entry {
        long successes;
        final Map<SessionFailure, Long> failures = new HashMap<>();
    }

    @Override
    public synchronized void add(ReportKey key, AppliedPolicy policy, Optional<SessionFailure> failure) {
        Entry entry = reports.computeIfAbsent(key, k -> new LinkedHashMap<>()).computeIfAbsent(policy, p -> new Entry());
        failure.ifPresentOrElse(f -> entry.failures.merge(f, 1L, Long::sum), () -> entry.successes++);
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
        return (int) reports.keySet().stream().filter(key -> key.day().equals(day)).count();
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
        reports.remove(key);
    }
}
