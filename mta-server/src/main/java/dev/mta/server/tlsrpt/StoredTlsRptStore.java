package dev.mta.server.tlsrpt;

import dev.mta.queue.KeyedRecord;
import dev.mta.queue.KeyedRecords;
import dev.mta.queue.StoreException;
import dev.mta.security.tlsrpt.AppliedPolicy;
import dev.mta.security.tlsrpt.PolicyCounts;
import dev.mta.security.tlsrpt.ReportKey;
import dev.mta.security.tlsrpt.SessionFailure;
import dev.mta.security.tlsrpt.TlsRptStore;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS-RPT counts that survive a restart: kept in memory, and written to the queue's keyed
 * records (kind {@value #KIND}, one record per report, key {@code day/domain}) by
 * {@link #flush()}, which the relay calls periodically and at shutdown ({@link #close()}).
 *
 * <p>Sessions are counted on the delivery threads, once per session; a durable write is an
 * fsync, so {@link #add} only changes memory and marks the report changed, and a flush writes
 * each changed report once. A crash therefore loses the sessions counted since the last flush:
 * reports are statistics (RFC 8460 4), no mail is at stake, and a report a little short is
 * still a report. {@link #remove} is durable at once, so a report that was sent is not sent again
 * after a restart; if the record cannot be removed the removal is retried at the next flush
 * (until then a restart would send the report again, which the report-id lets a collector
 * recognise, RFC 8460 4.4).
 *
 * <p>Loading is by whole counts, not session by session, so a day of millions of sessions loads
 * as fast as a day of ten. Thread-safe: counting holds the memory lock for a few map operations;
 * the disk writes of a flush happen outside it.
 */
public final class StoredTlsRptStore implements TlsRptStore, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoredTlsRptStore.class);

    /** The kind of the keyed records. */
    public static final String KIND = "tlsrpt-counts";

    private final KeyedRecords records;
    private final Clock clock;

    // Guarded by this.
    private final Map<ReportKey, Map<AppliedPolicy, Entry>> reports = new TreeMap<>();
    private final Map<LocalDate, Integer> reportsPerDay = new HashMap<>();
    private final Set<ReportKey> changed = new HashSet<>();

    // Held by flush and remove, so that a flush never writes back a report removed meanwhile.
    private final Object diskLock = new Object();
    // Guarded by diskLock: removals that failed, retried at the next flush.
    private final Set<ReportKey> removalsOwed = new HashSet<>();

    private static final class Entry {
        long successes;
        final Map<SessionFailure, Long> failures = new LinkedHashMap<>();
    }

    private StoredTlsRptStore(KeyedRecords records, Clock clock) {
        this.records = Objects.requireNonNull(records, "records");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Loads every stored report. A record that cannot be read is skipped with a warning (and left
     * in place for someone to look at); its report is then counted afresh.
     *
     * @param clock stamps the records' update time
     * @throws StoreException when the records cannot be listed
     */
    public static StoredTlsRptStore open(KeyedRecords records, Clock clock) throws StoreException {
        StoredTlsRptStore store = new StoredTlsRptStore(records, clock);
        for (KeyedRecord record : records.all(KIND)) {
            CountsRecord counts;
            try {
                counts = CountsRecord.decode(record.value());
            } catch (RuntimeException e) {
                LOG.warn("ignoring the unreadable TLS-RPT counts record {}: {}", record.key(), e.getMessage());
                continue;
            }
            store.load(counts);
        }
        return store;
    }

    private synchronized void load(CountsRecord counts) {
        Map<AppliedPolicy, Entry> report = reportFor(counts.key());
        for (PolicyCounts policy : counts.policies()) {
            Entry entry = report.computeIfAbsent(policy.policy(), p -> new Entry());
            entry.successes += policy.successfulSessions();
            policy.failures().forEach((failure, sessions) -> entry.failures.merge(failure, sessions, Long::sum));
        }
    }

    @Override
    public synchronized void add(ReportKey key, AppliedPolicy policy, Optional<SessionFailure> failure) {
        Entry entry = reportFor(key).computeIfAbsent(policy, p -> new Entry());
        failure.ifPresentOrElse(f -> entry.failures.merge(f, 1L, Long::sum), () -> entry.successes++);
        changed.add(key);
    }

    private Map<AppliedPolicy, Entry> reportFor(ReportKey key) {
        return reports.computeIfAbsent(key, k -> {
            reportsPerDay.merge(k.day(), 1, Integer::sum);
            return new LinkedHashMap<>();
        });
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

    /** Forgets the report, in memory and on disk; the disk part is retried at the next flush if it fails. */
    @Override
    public void remove(ReportKey key) {
        synchronized (diskLock) {
            synchronized (this) {
                if (reports.remove(key) != null) {
                    reportsPerDay.computeIfPresent(key.day(), (day, count) -> count == 1 ? null : count - 1);
                }
                changed.remove(key);
            }
            removeRecord(key);
        }
    }

    /**
     * Writes every report changed since the last flush, and retries failed removals. Never
     * throws: a report that cannot be written is logged and written at the next flush.
     *
     * @return how many reports were written
     */
    public int flush() {
        synchronized (diskLock) {
            for (ReportKey key : List.copyOf(removalsOwed)) {
                removalsOwed.remove(key);
                removeRecord(key);
            }
            Map<ReportKey, List<PolicyCounts>> snapshot = new TreeMap<>();
            synchronized (this) {
                for (ReportKey key : changed) {
                    snapshot.put(key, counts(key));
                }
                changed.clear();
            }
            int written = 0;
            for (Map.Entry<ReportKey, List<PolicyCounts>> report : snapshot.entrySet()) {
                ReportKey key = report.getKey();
                try {
                    records.save(new KeyedRecord(KIND, CountsRecord.recordKey(key),
                            new CountsRecord(key, report.getValue()).encode(), clock.instant()));
                    written++;
                } catch (StoreException e) {
                    LOG.warn("cannot keep the TLS-RPT counts of {} on {}, will try again: {}", key.policyDomain(),
                            key.day(), e.getMessage());
                    synchronized (this) {
                        changed.add(key);
                    }
                }
            }
            return written;
        }
    }

    /** Flushes; the keyed records belong to the queue, which stays open. */
    @Override
    public void close() {
        flush();
    }

    // Caller holds diskLock.
    private void removeRecord(ReportKey key) {
        try {
            records.remove(KIND, CountsRecord.recordKey(key));
        } catch (StoreException e) {
            LOG.warn("cannot drop the TLS-RPT counts of {} on {}, will try again: {}", key.policyDomain(), key.day(),
                    e.getMessage());
            removalsOwed.add(key);
        }
    }
}
