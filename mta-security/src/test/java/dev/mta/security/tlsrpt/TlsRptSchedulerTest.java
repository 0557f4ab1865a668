package dev.mta.security.tlsrpt;

import dev.mta.testsupport.time.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** Once per UTC day, after the day is over (RFC 8460 4.1). */
class TlsRptSchedulerTest {

    private final InMemoryTlsRptStore store = new InMemoryTlsRptStore();
    private final TestClock clock = new TestClock(DayOfSessions.DURING_THE_DAY);
    private final TlsRptSettings settings = DayOfSessions.settings().withSendDelay(Duration.ofHours(2));
    private final TlsRptScheduler scheduler = new TlsRptScheduler(store, settings);

    @Test
    void theDayIsNotDueWhileItLastsNorBeforeTheDelay() {
        DayOfSessions.record(new TlsRptRecorder(store, settings, clock));

        assertThat(scheduler.reportsDue(Instant.parse("2026-11-22T23:59:59Z"))).isEmpty();
        assertThat(scheduler.reportsDue(Instant.parse("2026-11-23T01:59:59Z"))).isEmpty();
        assertThat(scheduler.reportsDue(Instant.parse("2026-11-23T02:00:00Z")))
                .extracting(TlsRptReport::key)
                .containsExactly(new ReportKey(LocalDate.parse("2026-11-22"), DayOfSessions.DOMAIN));
    }

    @Test
    void aSentReportIsNotDueAgainButTheNextDayIs() {
        TlsRptRecorder recorder = new TlsRptRecorder(store, settings, clock);
        DayOfSessions.record(recorder);
        clock.advance(Duration.ofDays(1));
        recorder.record(SessionOutcome.success(DayOfSessions.STS));

        Instant twoDaysLater = Instant.parse("2026-11-24T12:00:00Z");
        assertThat(scheduler.reportsDue(twoDaysLater)).hasSize(2);
        scheduler.markSent(scheduler.reportsDue(twoDaysLater).getFirst().key());

        assertThat(scheduler.reportsDue(twoDaysLater)).extracting(report -> report.key().day())
                .containsExactly(LocalDate.parse("2026-11-23"));
    }

    @Test
    void eachDomainGetsItsOwnReport() {
        TlsRptRecorder recorder = new TlsRptRecorder(store, settings, clock);
        recorder.record(SessionOutcome.success(AppliedPolicy.noPolicyFound("a.example")));
        recorder.record(SessionOutcome.success(AppliedPolicy.noPolicyFound("b.example")));

        assertThat(scheduler.reportsDue(DayOfSessions.NEXT_MORNING)).extracting(r -> r.key().policyDomain())
                .containsExactly("a.example", "b.example");
    }

    @Test
    void nothingIsDueWhenReportingIsOff() {
        DayOfSessions.record(new TlsRptRecorder(store, settings, clock));

        assertThat(new TlsRptScheduler(store, TlsRptSettings.disabled()).reportsDue(DayOfSessions.NEXT_MORNING))
                .isEmpty();
    }
}
