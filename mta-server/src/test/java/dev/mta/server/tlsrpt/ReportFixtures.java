package dev.mta.server.tlsrpt;

import dev.mta.security.tlsrpt.AppliedPolicy;
import dev.mta.security.tlsrpt.ReportKey;
import dev.mta.security.tlsrpt.ResultType;
import dev.mta.security.tlsrpt.SessionFailure;
import dev.mta.security.tlsrpt.TlsRptSettings;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** Policies, failures and days the TLS-RPT tests of the relay count and send. */
final class ReportFixtures {

    static final LocalDate DAY = LocalDate.parse("2026-11-22");
    static final Instant DURING_THE_DAY = Instant.parse("2026-11-22T10:15:00Z");
    /** The end of the day plus the default send delay of one hour: the report is due. */
    static final Instant DUE = Instant.parse("2026-11-23T01:00:00Z");
    static final Instant NEXT_MORNING = Instant.parse("2026-11-23T06:00:00Z");

    static final String DOMAIN = "example.net";
    static final ReportKey REPORT = new ReportKey(DAY, DOMAIN);
    static final ReportKey OTHER_DOMAIN = new ReportKey(DAY, "other.example");
    static final ReportKey NEXT_DAY = new ReportKey(DAY.plusDays(1), DOMAIN);

    static final AppliedPolicy STS = AppliedPolicy.sts(DOMAIN,
            List.of("version: STSv1", "mode: enforce", "mx: mx1.example.net", "mx: *.backup.example.net",
                    "max_age: 86400"),
            List.of("mx1.example.net", "*.backup.example.net"));
    static final AppliedPolicy TLSA = AppliedPolicy.tlsa(DOMAIN,
            List.of("_25._tcp.mx2.example.net. IN TLSA 3 1 1 "
                    + "8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1"));
    static final AppliedPolicy NO_POLICY = AppliedPolicy.noPolicyFound(DOMAIN);

    /** Every field present. */
    static final SessionFailure EVERY_FIELD = new SessionFailure(ResultType.CERTIFICATE_EXPIRED,
            Optional.of("192.0.2.25"), Optional.of("mx1.example.net"), Optional.of("mx1.example.net"),
            Optional.of("2001:db8::53"), Optional.of("https://mx1.example.net/why"), Optional.of("X509_V_ERR_CERT_HAS_EXPIRED"));
    /** Only the result type. */
    static final SessionFailure RESULT_TYPE_ONLY = SessionFailure.withoutConnection(ResultType.STS_POLICY_FETCH_ERROR);
    /** Present but empty is not absent. */
    static final SessionFailure EMPTY_HELO = new SessionFailure(ResultType.STARTTLS_NOT_SUPPORTED,
            Optional.of("192.0.2.25"), Optional.of("a.backup.example.net"), Optional.of(""), Optional.of("198.51.100.1"),
            Optional.empty(), Optional.empty());

    static TlsRptSettings settings() {
        return TlsRptSettings.of("Relay Operators Inc.", "tlsrpt@mta.example.org");
    }

    private ReportFixtures() {
    }
}
