package dev.mta.server.tlsrpt;

import static dev.mta.server.tlsrpt.ReportFixtures.DAY;
import static dev.mta.server.tlsrpt.ReportFixtures.DOMAIN;
import static dev.mta.server.tlsrpt.ReportFixtures.DURING_THE_DAY;
import static dev.mta.server.tlsrpt.ReportFixtures.EMPTY_HELO;
import static dev.mta.server.tlsrpt.ReportFixtures.EVERY_FIELD;
import static dev.mta.server.tlsrpt.ReportFixtures.NEXT_DAY;
import static dev.mta.server.tlsrpt.ReportFixtures.NO_POLICY;
import static dev.mta.server.tlsrpt.ReportFixtures.OTHER_DOMAIN;
import static dev.mta.server.tlsrpt.ReportFixtures.REPORT;
import static dev.mta.server.tlsrpt.ReportFixtures.RESULT_TYPE_ONLY;
import static dev.mta.server.tlsrpt.ReportFixtures.STS;
import static dev.mta.server.tlsrpt.ReportFixtures.TLSA;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.KeyedRecord;
import dev.mta.queue.StoreException;
import dev.mta.queue.h2.H2MessageStore;
import dev.mta.queue.h2.H2StoreSettings;
import dev.mta.security.tlsrpt.AppliedPolicy;
import dev.mta.security.tlsrpt.PolicyCounts;
import dev.mta.security.tlsrpt.ReportKey;
import dev.mta.security.tlsrpt.SessionFailure;
import dev.mta.security.tlsrpt.SessionOutcome;
import dev.mta.security.tlsrpt.TlsRptRecorder;
import dev.mta.testsupport.time.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS-RPT counts in the queue database: what every TlsRptStore does (the contract of
 * mta-security's TlsRptStoreContract), and that a day's counts survive a restart once flushed.
 */
class StoredTlsRptStoreTest {

    private final TestClock clock = new TestClock(DURING_THE_DAY);

    @TempDir
    Path data;

    private H2MessageStore queue;
    private FaultyRecords records;

    @BeforeEach
    void openQueue() throws StoreException {
        queue = H2MessageStore.open(H2StoreSettings.defaults(data));
        records = new FaultyRecords(queue.records());
    }

    @AfterEach
    void closeQueue() {
        queue.close();
    }

    private StoredTlsRptStore newStore() throws StoreException {
        return StoredTlsRptStore.open(records, clock);
    }

    /** The relay stops (or dies: nothing of the old store is flushed) and starts again on the same data. */
    private StoredTlsRptStore restart() throws StoreException {
        queue.close();
        openQueue();
        return newStore();
    }

    private List<KeyedRecord> stored() throws StoreException {
        return queue.records().all(StoredTlsRptStore.KIND);
    }

    // The contract every TlsRptStore keeps.

    @Test
    void countsSuccessesAndEachDistinctFailure() throws Exception {
        StoredTlsRptStore store = newStore();
        store.add(REPORT, STS, Optional.empty());
        store.add(REPORT, STS, Optional.of(EVERY_FIELD));
        store.add(REPORT, STS, Optional.of(EVERY_FIELD));
        store.add(REPORT, STS, Optional.of(EMPTY_HELO));
        store.add(REPORT, TLSA, Optional.empty());

        assertThat(store.counts(REPORT)).containsExactlyInAnyOrder(
                new PolicyCounts(STS, 1, Map.of(EVERY_FIELD, 2L, EMPTY_HELO, 1L)),
                new PolicyCounts(TLSA, 1, Map.of()));
        assertThat(store.policyCount(REPORT)).isEqualTo(2);
        assertThat(store.failureCount(REPORT, STS)).isEqualTo(2);
        assertThat(store.contains(REPORT, STS)).isTrue();
        assertThat(store.contains(REPORT, STS, EVERY_FIELD)).isTrue();
        assertThat(store.contains(REPORT, TLSA, EVERY_FIELD)).isFalse();
        assertThat(store.contains(NEXT_DAY, STS)).isFalse();
    }

    @Test
    void listsReportsOldestFirstAndCountsThemPerDay() throws Exception {
        StoredTlsRptStore store = newStore();
        store.add(NEXT_DAY, STS, Optional.empty());
        store.add(OTHER_DOMAIN, AppliedPolicy.noPolicyFound("other.example"), Optional.empty());
        store.add(REPORT, STS, Optional.empty());

        assertThat(store.reportKeys()).containsExactly(REPORT, OTHER_DOMAIN, NEXT_DAY);
        assertThat(store.reportCount(DAY)).isEqualTo(2);
        assertThat(store.reportCount(DAY.plusDays(1))).isEqualTo(1);
    }

    @Test
    void aRemovedReportIsGone() throws Exception {
        StoredTlsRptStore store = newStore();
        store.add(REPORT, STS, Optional.empty());
        store.add(OTHER_DOMAIN, AppliedPolicy.noPolicyFound("other.example"), Optional.empty());

        store.remove(REPORT);

        assertThat(store.reportKeys()).containsExactly(OTHER_DOMAIN);
        assertThat(store.counts(REPORT)).isEmpty();
        assertThat(store.reportCount(DAY)).isEqualTo(1);
        assertThat(store.policyCount(REPORT)).isZero();
    }

    // Durability.

    @Test
    void flushedCountsComeBackAfterARestartFieldForField() throws Exception {
        StoredTlsRptStore store = newStore();
        for (int i = 0; i < 5; i++) {
            store.add(REPORT, STS, Optional.empty());
        }
        store.add(REPORT, STS, Optional.of(EVERY_FIELD));
        store.add(REPORT, STS, Optional.of(EVERY_FIELD));
        store.add(REPORT, STS, Optional.of(EMPTY_HELO));
        store.add(REPORT, TLSA, Optional.of(RESULT_TYPE_ONLY));
        store.add(REPORT, NO_POLICY, Optional.empty());
        store.add(NEXT_DAY, STS, Optional.empty());
        List<PolicyCounts> before = store.counts(REPORT);

        store.flush();
        StoredTlsRptStore reopened = restart();

        assertThat(reopened.reportKeys()).containsExactly(REPORT, NEXT_DAY);
        assertThat(reopened.counts(REPORT)).containsExactlyInAnyOrderElementsOf(before).containsExactlyInAnyOrder(
                new PolicyCounts(STS, 5, Map.of(EVERY_FIELD, 2L, EMPTY_HELO, 1L)),
                new PolicyCounts(TLSA, 0, Map.of(RESULT_TYPE_ONLY, 1L)),
                new PolicyCounts(NO_POLICY, 1, Map.of()));
        assertThat(reopened.counts(NEXT_DAY)).containsExactly(new PolicyCounts(STS, 1, Map.of()));
        assertThat(reopened.reportCount(DAY)).isEqualTo(1);
        assertThat(reopened.policyCount(REPORT)).isEqualTo(3);
        assertThat(reopened.failureCount(REPORT, STS)).isEqualTo(2);
        assertThat(reopened.contains(REPORT, STS, EMPTY_HELO)).isTrue();
    }

    @Test
    void countingWritesNothingUntilTheFlush() throws Exception {
        StoredTlsRptStore store = newStore();
        store.add(REPORT, STS, Optional.empty());
        store.add(REPORT, STS, Optional.of(EVERY_FIELD));

        assertThat(stored()).isEmpty();

        assertThat(store.flush()).isEqualTo(1);
        assertThat(stored()).extracting(KeyedRecord::key).containsExactly("2026-11-22/example.net");
    }

    @Test
    void aCrashLosesOnlyTheSessionsCountedSinceTheLastFlush() throws Exception {
        StoredTlsRptStore store = newStore();
        store.add(REPORT, STS, Optional.empty());
        store.add(REPORT, STS, Optional.empty());
        store.flush();
        store.add(REPORT, STS, Optional.empty());
        store.add(REPORT, STS, Optional.of(EVERY_FIELD));
        store.add(OTHER_DOMAIN, AppliedPolicy.noPolicyFound("other.example"), Optional.empty());

        StoredTlsRptStore reopened = restart();

        assertThat(reopened.reportKeys()).containsExactly(REPORT);
        assertThat(reopened.counts(REPORT)).containsExactly(new PolicyCounts(STS, 2, Map.of()));
    }

    @Test
    void sessionsCountedAfterARestartAddToTheLoadedCounts() throws Exception {
        StoredTlsRptStore store = newStore();
        store.add(REPORT, STS, Optional.of(EVERY_FIELD));
        store.close();

        StoredTlsRptStore reopened = restart();
        reopened.add(REPORT, STS, Optional.of(EVERY_FIELD));
        reopened.add(REPORT, STS, Optional.empty());
        reopened.close();

        assertThat(restart().counts(REPORT)).containsExactly(new PolicyCounts(STS, 1, Map.of(EVERY_FIELD, 2L)));
    }

    @Test
    void aFlushWritesOnlyTheReportsChangedSinceTheLastOne() throws Exception {
        StoredTlsRptStore store = newStore();
        store.add(REPORT, STS, Optional.empty());
        store.add(OTHER_DOMAIN, AppliedPolicy.noPolicyFound("other.example"), Optional.empty());
        assertThat(store.flush()).isEqualTo(2);
        Instant firstFlush = clock.instant();

        assertThat(store.flush()).isZero();

        clock.advance(Duration.ofMinutes(1));
        store.add(REPORT, STS, Optional.empty());
        assertThat(store.flush()).isEqualTo(1);
        assertThat(queue.records().load(StoredTlsRptStore.KIND, "2026-11-22/other.example"))
                .map(KeyedRecord::updated).contains(firstFlush);
        assertThat(queue.records().load(StoredTlsRptStore.KIND, "2026-11-22/example.net"))
                .map(KeyedRecord::updated).contains(clock.instant());
        assertThat(restart().counts(REPORT)).containsExactly(new PolicyCounts(STS, 2, Map.of()));
    }

    @Test
    void loadedReportsAreNotWrittenAgainUnlessTheyChange() throws Exception {
        StoredTlsRptStore store = newStore();
        store.add(REPORT, STS, Optional.empty());
        store.close();

        assertThat(restart().flush()).isZero();
    }

    @Test
    void aRemovedReportStaysRemovedAfterARestart() throws Exception {
        StoredTlsRptStore store = newStore();
        store.add(REPORT, STS, Optional.empty());
        store.add(OTHER_DOMAIN, AppliedPolicy.noPolicyFound("other.example"), Optional.empty());
        store.flush();

        store.remove(REPORT);

        assertThat(stored()).extracting(KeyedRecord::key).containsExactly("2026-11-22/other.example");
        assertThat(restart().reportKeys()).containsExactly(OTHER_DOMAIN);
    }

    @Test
    void closingFlushes() throws Exception {
        StoredTlsRptStore store = newStore();
        store.add(REPORT, TLSA, Optional.empty());

        store.close();

        assertThat(restart().counts(REPORT)).containsExactly(new PolicyCounts(TLSA, 1, Map.of()));
    }

    @Test
    void aReportThatCannotBeWrittenIsWrittenAtTheNextFlush() throws Exception {
        StoredTlsRptStore store = newStore();
        store.add(REPORT, STS, Optional.empty());
        records.failSaves = true;

        assertThat(store.flush()).isZero();
        assertThat(stored()).isEmpty();

        records.failSaves = false;
        assertThat(store.flush()).isEqualTo(1);
        assertThat(restart().counts(REPORT)).containsExactly(new PolicyCounts(STS, 1, Map.of()));
    }

    @Test
    void aRemovalThatFailsOnDiskIsRetriedAtTheNextFlush() throws Exception {
        StoredTlsRptStore store = newStore();
        store.add(REPORT, STS, Optional.empty());
        store.flush();
        records.failRemovals = true;

        store.remove(REPORT);

        assertThat(store.reportKeys()).isEmpty();
        assertThat(stored()).hasSize(1);
        records.failRemovals = false;
        store.flush();
        assertThat(stored()).isEmpty();
        assertThat(restart().reportKeys()).isEmpty();
    }

    @Test
    void aReportCountedAgainAfterAFailedRemovalKeepsOnlyTheNewCounts() throws Exception {
        StoredTlsRptStore store = newStore();
        store.add(REPORT, STS, Optional.empty());
        store.add(REPORT, STS, Optional.empty());
        store.flush();
        records.failRemovals = true;
        store.remove(REPORT);
        records.failRemovals = false;

        store.add(REPORT, TLSA, Optional.empty());
        store.flush();

        assertThat(restart().counts(REPORT)).containsExactly(new PolicyCounts(TLSA, 1, Map.of()));
    }

    @Test
    void anUnreadableRecordIsSkippedAndTheOthersLoad() throws Exception {
        StoredTlsRptStore store = newStore();
        store.add(REPORT, STS, Optional.empty());
        store.close();
        queue.records().save(new KeyedRecord(StoredTlsRptStore.KIND, "2026-11-22/broken.example", "{\"day\":", clock.instant()));

        assertThat(restart().reportKeys()).containsExactly(REPORT);
    }

    @Test
    void aDomainTooLongForAPlainKeyIsKeptUnderItsDigest() throws Exception {
        String longDomain = String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(50), "example");
        ReportKey key = new ReportKey(DAY, longDomain);
        AppliedPolicy policy = AppliedPolicy.noPolicyFound(longDomain);
        StoredTlsRptStore store = newStore();
        store.add(key, policy, Optional.empty());
        store.close();

        assertThat(stored()).extracting(KeyedRecord::key).singleElement().satisfies(recordKey -> {
            assertThat(recordKey).startsWith("2026-11-22/sha-256:");
            assertThat(recordKey.length()).isLessThanOrEqualTo(255);
        });
        StoredTlsRptStore reopened = restart();
        assertThat(reopened.counts(key)).containsExactly(new PolicyCounts(policy, 1, Map.of()));
        reopened.remove(key);
        assertThat(stored()).isEmpty();
    }

    @Test
    void theRecordersLimitOnDomainsPerDayHoldsAcrossARestart() throws Exception {
        var settings = ReportFixtures.settings().withLimits(1, 16, 100);
        StoredTlsRptStore store = newStore();
        new TlsRptRecorder(store, settings, clock).record(SessionOutcome.success(STS));
        store.close();

        StoredTlsRptStore reopened = restart();
        TlsRptRecorder recorder = new TlsRptRecorder(reopened, settings, clock);
        recorder.record(SessionOutcome.success(AppliedPolicy.noPolicyFound("other.example")));
        recorder.record(SessionOutcome.failure(STS, EVERY_FIELD));

        assertThat(recorder.droppedSessions()).isEqualTo(1);
        assertThat(reopened.reportKeys()).containsExactly(new ReportKey(DAY, DOMAIN));
        assertThat(reopened.counts(REPORT)).containsExactly(
                new PolicyCounts(STS, 1, Map.<SessionFailure, Long>of(EVERY_FIELD, 1L)));
    }
}
