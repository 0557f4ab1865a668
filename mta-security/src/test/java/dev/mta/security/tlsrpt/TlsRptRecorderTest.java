package dev.mta.security.tlsrpt;

import dev.mta.testsupport.time.TestClock;
import static dev.mta.security.tlsrpt.DayOfSessions.BACKUP_NO_STARTTLS;
import static dev.mta.security.tlsrpt.DayOfSessions.DOMAIN;
import static dev.mta.security.tlsrpt.DayOfSessions.DURING_THE_DAY;
import static dev.mta.security.tlsrpt.DayOfSessions.MX1;
import static dev.mta.security.tlsrpt.DayOfSessions.MX1_EXPIRED;
import static dev.mta.security.tlsrpt.DayOfSessions.MX2_TLSA_MISMATCH;
import static dev.mta.security.tlsrpt.DayOfSessions.RELAY;
import static dev.mta.security.tlsrpt.DayOfSessions.STS;
import static dev.mta.security.tlsrpt.DayOfSessions.TLSA;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Counting sessions per UTC day, policy domain and policy (RFC 8460 4.1, 4.4). */
class TlsRptRecorderTest {

    private static final ReportKey DAY = new ReportKey(LocalDate.parse("2026-11-22"), DOMAIN);

    private final InMemoryTlsRptStore store = new InMemoryTlsRptStore();
    private final TestClock clock = new TestClock(DURING_THE_DAY);

    @Test
    void aDayOfSessionsIsCountedPerPolicyWithFailuresGroupedByDetail() {
        DayOfSessions.record(new TlsRptRecorder(store, DayOfSessions.settings(), clock));

        assertThat(store.reportKeys()).containsExactly(DAY);
        assertThat(store.counts(DAY)).containsExactlyInAnyOrder(
                new PolicyCounts(STS, 5, Map.of(MX1_EXPIRED, 2L, BACKUP_NO_STARTTLS, 1L)),
                new PolicyCounts(TLSA, 3, Map.of(MX2_TLSA_MISMATCH, 1L)));
        assertThat(store.counts(DAY).stream().mapToLong(PolicyCounts::failedSessions).sum()).isEqualTo(4);
    }

    @Test
    void sessionsAreFiledUnderTheUtcDayTheyHappenedOn() {
        TlsRptRecorder recorder = new TlsRptRecorder(store, DayOfSessions.settings(), clock);
        clock.set(java.time.Instant.parse("2026-11-22T23:59:59Z"));
        recorder.record(SessionOutcome.success(STS));
        clock.advance(Duration.ofSeconds(1));
        recorder.record(SessionOutcome.success(STS));

        assertThat(store.reportKeys()).containsExactly(DAY, new ReportKey(LocalDate.parse("2026-11-23"), DOMAIN));
    }

    @Test
    void policyDomainsAreCaseInsensitive() {
        TlsRptRecorder recorder = new TlsRptRecorder(store, DayOfSessions.settings(), clock);
        recorder.record(SessionOutcome.success(AppliedPolicy.noPolicyFound("Example.NET.")));
        recorder.record(SessionOutcome.success(AppliedPolicy.noPolicyFound("example.net")));

        assertThat(store.counts(DAY)).containsExactly(
                new PolicyCounts(AppliedPolicy.noPolicyFound(DOMAIN), 2, Map.of()));
    }

    @Test
    void nothingIsRecordedWhenReportingIsOff() {
        DayOfSessions.record(new TlsRptRecorder(store, TlsRptSettings.disabled(), clock));

        assertThat(store.reportKeys()).isEmpty();
    }

    @Test
    void failuresBeyondTheDetailLimitAreCountedUnderTheirResultTypeAlone() {
        TlsRptRecorder recorder = new TlsRptRecorder(store, DayOfSessions.settings().withLimits(10, 10, 1), clock);
        recorder.record(SessionOutcome.failure(STS, MX1_EXPIRED));
        recorder.record(SessionOutcome.failure(STS, BACKUP_NO_STARTTLS));
        recorder.record(SessionOutcome.failure(STS, BACKUP_NO_STARTTLS));
        recorder.record(SessionOutcome.failure(STS, MX1_EXPIRED));

        assertThat(store.counts(DAY)).containsExactly(new PolicyCounts(STS, 0, Map.of(
                MX1_EXPIRED, 2L,
                SessionFailure.withoutConnection(ResultType.STARTTLS_NOT_SUPPORTED), 2L)));
    }

    @Test
    void policiesBeyondTheLimitAreDroppedAndCounted() {
        TlsRptRecorder recorder = new TlsRptRecorder(store, DayOfSessions.settings().withLimits(10, 1, 10), clock);
        recorder.record(SessionOutcome.success(STS));
        recorder.record(SessionOutcome.success(TLSA));
        recorder.record(SessionOutcome.success(STS));

        assertThat(store.counts(DAY)).containsExactly(new PolicyCounts(STS, 2, Map.of()));
        assertThat(recorder.droppedSessions()).isEqualTo(1);
    }

    @Test
    void domainsBeyondTheDailyLimitAreDropped() {
        TlsRptRecorder recorder = new TlsRptRecorder(store, DayOfSessions.settings().withLimits(1, 10, 10), clock);
        recorder.record(SessionOutcome.success(STS));
        recorder.record(SessionOutcome.success(AppliedPolicy.noPolicyFound("other.example")));
        clock.advance(Duration.ofDays(1));
        recorder.record(SessionOutcome.success(AppliedPolicy.noPolicyFound("other.example")));

        assertThat(store.reportKeys()).containsExactly(DAY,
                new ReportKey(LocalDate.parse("2026-11-23"), "other.example"));
        assertThat(recorder.droppedSessions()).isEqualTo(1);
    }

    @Test
    void concurrentSessionsAreAllCounted() throws InterruptedException {
        TlsRptRecorder recorder = new TlsRptRecorder(store, DayOfSessions.settings(), clock);
        int threads = 4;
        int perThread = 2_000;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        SessionFailure failure = SessionFailure.of(ResultType.CERTIFICATE_NOT_TRUSTED, RELAY, "mx1.example.net", MX1);
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    recorder.record(i % 2 == 0 ? SessionOutcome.success(STS) : SessionOutcome.failure(STS, failure));
                }
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(store.counts(DAY)).containsExactly(
                new PolicyCounts(STS, threads * perThread / 2, Map.of(failure, (long) threads * perThread / 2)));
    }

    @Test
    void noPolicyFoundCarriesNoPolicyStrings() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() ->
                new AppliedPolicy(PolicyType.NO_POLICY_FOUND, DOMAIN, List.of("x"), List.of()));
    }
}
