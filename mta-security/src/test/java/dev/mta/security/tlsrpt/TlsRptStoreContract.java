package dev.mta.security.tlsrpt;

import static dev.mta.security.tlsrpt.DayOfSessions.BACKUP_NO_STARTTLS;
import static dev.mta.security.tlsrpt.DayOfSessions.MX1_EXPIRED;
import static dev.mta.security.tlsrpt.DayOfSessions.STS;
import static dev.mta.security.tlsrpt.DayOfSessions.TLSA;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TlsRptStore} does; a persistent implementation's test extends this too.
 */
abstract class TlsRptStoreContract {

    static final LocalDate DAY = LocalDate.parse("2026-11-22");
    static final ReportKey REPORT = new ReportKey(DAY, "example.net");
    static final ReportKey OTHER_DOMAIN = new ReportKey(DAY, "other.example");
    static final ReportKey NEXT_DAY = new ReportKey(DAY.plusDays(1), "example.net");

    abstract TlsRptStore newStore();

    @Test
    void countsSuccessesAndEachDistinctFailure() {
        TlsRptStore store = newStore();
        store.add(REPORT, STS, Optional.empty());
        store.add(REPORT, STS, Optional.of(MX1_EXPIRED));
        store.add(REPORT, STS, Optional.of(MX1_EXPIRED));
        store.add(REPORT, STS, Optional.of(BACKUP_NO_STARTTLS));
        store.add(REPORT, TLSA, Optional.empty());

        assertThat(store.counts(REPORT)).containsExactlyInAnyOrder(
                new PolicyCounts(STS, 1, Map.of(MX1_EXPIRED, 2L, BACKUP_NO_STARTTLS, 1L)),
                new PolicyCounts(TLSA, 1, Map.of()));
        assertThat(store.policyCount(REPORT)).isEqualTo(2);
        assertThat(store.failureCount(REPORT, STS)).isEqualTo(2);
        assertThat(store.contains(REPORT, STS, MX1_EXPIRED)).isTrue();
        assertThat(store.contains(REPORT, TLSA, MX1_EXPIRED)).isFalse();
        assertThat(store.contains(NEXT_DAY, STS)).isFalse();
    }

    @Test
    void listsReportsOldestFirstAndCountsThemPerDay() {
        TlsRptStore store = newStore();
        store.add(NEXT_DAY, STS, Optional.empty());
        store.add(OTHER_DOMAIN, AppliedPolicy.noPolicyFound("other.example"), Optional.empty());
        store.add(REPORT, STS, Optional.empty());

        assertThat(store.reportKeys()).containsExactly(REPORT, OTHER_DOMAIN, NEXT_DAY);
        assertThat(store.reportCount(DAY)).isEqualTo(2);
        assertThat(store.reportCount(DAY.plusDays(1))).isEqualTo(1);
    }

    @Test
    void aRemovedReportIsGone() {
        TlsRptStore store = newStore();
        store.add(REPORT, STS, Optional.empty());
        store.add(OTHER_DOMAIN, AppliedPolicy.noPolicyFound("other.example"), Optional.empty());

        store.remove(REPORT);

        assertThat(store.reportKeys()).containsExactly(OTHER_DOMAIN);
        assertThat(store.counts(REPORT)).isEmpty();
        assertThat(store.reportCount(DAY)).isEqualTo(1);
        assertThat(store.policyCount(REPORT)).isZero();
    }
}
