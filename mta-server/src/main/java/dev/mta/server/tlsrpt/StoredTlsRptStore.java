package dev.mta.server.tlsrpt;

import dev.mta.queue.KeyedRecord;
import dev.mta.queue.KeyedRecords;
import dev.mta.queue.StoreException;
import dev.mta.security.tlsrpt.AppliedPolicy;
import dev.mta.security.tlsrpt.InMemoryTlsRptStore;
import dev.mta.security.tlsrpt.PolicyCounts;
import dev.mta.security.tlsrpt.ReportKey;
import dev.mta.security.tlsrpt.SessionFailure;
import dev.mta.security.tlsrpt.TlsRptStore;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
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

    // The counting itself; thread-safe on its own.
    private final InMemoryTlsRptStore memory = new InMemoryTlsRptStore();
    // Guarded by this, which also makes a count and its mark one step for flush.
    private final Set<ReportKey> changed = new HashSet<>();

    // Held by flush and remove, so that a flush never writes back a report removed meanwhile.
    private final Object diskLock = new Object();
    // Guarded by diskLock: removals that failed, retried at the next flush.
    private final Set<ReportKey> removalsOwed = new HashSet<>();

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

    private void load(CountsRecord counts) {
        counts.policies().forEach(policy -> memory.restore(counts.key(), policy));
    }

    @Override
    public synchronized void add(ReportKey key, AppliedPolicy policy, Optional<SessionFailure> failure) {
        memory.add(key, policy, failure);
        changed.add(key);
    }

    @Override
    public boolean contains(ReportKey key, AppliedPolicy policy) {
        return memory.contains(key, policy);
    }

    @Override
    public boolean contains(ReportKey key, AppliedPolicy policy, SessionFailure failure) {
        return memory.contains(key, policy, failure);
    }

    @Override
    public int reportCount(LocalDate day) {
        return memory.reportCount(day);
    }

    @Override
    public int policyCount(ReportKey key) {
        return memory.policyCount(key);
    }

    @Override
    public int failureCount(ReportKey key, AppliedPolicy policy) {
        return memory.failureCount(key, policy);
    }

    @Override
    public SortedSet<ReportKey> reportKeys() {
        return memory.reportKeys();
    }

    @Override
    public List<PolicyCounts> counts(ReportKey key) {
        return memory.counts(key);
    }

    /** Forgets the report, in memory and on disk; the disk part is retried at the next flush if it fails. */
    @Override
    public void remove(ReportKey key) {
        synchronized (diskLock) {
            synchronized (this) {
                memory.remove(key);
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
                    snapshot.put(key, memory.counts(key));
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
