package dev.mta.security.tlsrpt;

import dev.mta.testsupport.time.TestClock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;

/**
 * A day of delivery sessions to one domain, recorded at 2026-11-22 (UTC): the fixture most tests
 * turn into a report.
 */
final class DayOfSessions {

    static final Instant DURING_THE_DAY = Instant.parse("2026-11-22T10:15:00Z");
    static final Instant NEXT_MORNING = Instant.parse("2026-11-23T06:00:00Z");
    static final String DOMAIN = "example.net";

    static final AppliedPolicy STS = AppliedPolicy.sts(DOMAIN,
            List.of("version: STSv1", "mode: enforce", "mx: mx1.example.net", "mx: *.backup.example.net",
                    "max_age: 86400"),
            List.of("mx1.example.net", "*.backup.example.net"));
    static final AppliedPolicy TLSA = AppliedPolicy.tlsa(DOMAIN,
            List.of("_25._tcp.mx2.example.net. IN TLSA 3 1 1 "
                    + "8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1"));

    static final InetAddress RELAY = address("192.0.2.25");
    static final InetAddress MX1 = address("198.51.100.1");
    static final InetAddress BACKUP = address("2001:db8:0:0:0:0:0:53");
    static final InetAddress MX2 = address("203.0.113.7");

    static final SessionFailure MX1_EXPIRED =
            SessionFailure.of(ResultType.CERTIFICATE_EXPIRED, RELAY, "mx1.example.net", MX1)
                    .withReceivingMxHelo("mx1.example.net");
    static final SessionFailure BACKUP_NO_STARTTLS =
            SessionFailure.of(ResultType.STARTTLS_NOT_SUPPORTED, RELAY, "a.backup.example.net", BACKUP);
    static final SessionFailure MX2_TLSA_MISMATCH =
            SessionFailure.of(ResultType.VALIDATION_FAILURE, RELAY, "mx2.example.net", MX2)
                    .withFailureReasonCode("no TLSA record matches the chain");

    private DayOfSessions() {
    }

    /** 5 STS successes, 2 expired certificates at mx1, 1 backup without STARTTLS; 3 DANE successes, 1 mismatch. */
    static void record(TlsRptRecorder recorder) {
        for (int i = 0; i < 5; i++) {
            recorder.record(SessionOutcome.success(STS));
        }
        recorder.record(SessionOutcome.failure(STS, MX1_EXPIRED));
        recorder.record(SessionOutcome.failure(STS, MX1_EXPIRED));
        recorder.record(SessionOutcome.failure(STS, BACKUP_NO_STARTTLS));
        for (int i = 0; i < 3; i++) {
            recorder.record(SessionOutcome.success(TLSA));
        }
        recorder.record(SessionOutcome.failure(TLSA, MX2_TLSA_MISMATCH));
    }

    /** The report of the recorded day, as the scheduler hands it out the next morning. */
    static TlsRptReport report(TlsRptSettings settings) {
        InMemoryTlsRptStore store = new InMemoryTlsRptStore();
        record(new TlsRptRecorder(store, settings, new TestClock(DURING_THE_DAY)));
        List<TlsRptReport> due = new TlsRptScheduler(store, settings).reportsDue(NEXT_MORNING);
        if (due.size() != 1) {
            throw new IllegalStateException("expected one report, got " + due);
        }
        return due.getFirst();
    }

    static TlsRptSettings settings() {
        return TlsRptSettings.of("Relay Operators Inc.", "tlsrpt@mta.example.org");
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
