package dev.mta.server.tlsrpt;

import static dev.mta.server.tlsrpt.ReportFixtures.EMPTY_HELO;
import static dev.mta.server.tlsrpt.ReportFixtures.EVERY_FIELD;
import static dev.mta.server.tlsrpt.ReportFixtures.NO_POLICY;
import static dev.mta.server.tlsrpt.ReportFixtures.REPORT;
import static dev.mta.server.tlsrpt.ReportFixtures.STS;
import static dev.mta.server.tlsrpt.ReportFixtures.TLSA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.mta.security.tlsrpt.PolicyCounts;
import dev.mta.security.tlsrpt.ResultType;
import dev.mta.security.tlsrpt.SessionFailure;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The text of a stored report: every field back as it went in, and nothing half-read. */
class CountsRecordTest {

    @Test
    void everyPolicyTypeResultTypeAndOptionalFieldRoundTrips() {
        Map<SessionFailure, Long> everyResultType = Arrays.stream(ResultType.values())
                .collect(Collectors.toMap(SessionFailure::withoutConnection, type -> (long) type.ordinal() + 1));
        CountsRecord record = new CountsRecord(REPORT, List.of(
                new PolicyCounts(STS, 3_000_000_000L, Map.of(EVERY_FIELD, 2L, EMPTY_HELO, 1L)),
                new PolicyCounts(TLSA, 0, everyResultType),
                new PolicyCounts(NO_POLICY, 7, Map.of())));

        CountsRecord decoded = CountsRecord.decode(record.encode());

        assertThat(decoded.key()).isEqualTo(REPORT);
        assertThat(decoded.policies()).containsExactlyElementsOf(record.policies());
        assertThat(decoded.policies().getFirst().failures().keySet())
                .filteredOn(failure -> failure.resultType() == ResultType.STARTTLS_NOT_SUPPORTED)
                .singleElement().extracting(SessionFailure::receivingMxHelo).isEqualTo(java.util.Optional.of(""));
    }

    @Test
    void aPlainKeyIsTheDayAndTheDomain() {
        assertThat(CountsRecord.recordKey(REPORT)).isEqualTo("2026-11-22/example.net");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"day\":\"2026-11-22\"",
        "[]",
        "{\"policy-domain\":\"example.net\",\"policies\":[]}",
        "{\"day\":\"22.11.2026\",\"policy-domain\":\"example.net\",\"policies\":[]}",
        "{\"day\":\"2026-11-22\",\"policy-domain\":\"example.net\",\"policies\":[{\"policy-type\":\"dmarc\","
                + "\"policy-domain\":\"example.net\",\"policy-string\":[],\"mx-host\":[],\"successful-sessions\":1,\"failures\":[]}]}",
        "{\"day\":\"2026-11-22\",\"policy-domain\":\"example.net\",\"policies\":[{\"policy-type\":\"sts\","
                + "\"policy-domain\":\"example.net\",\"policy-string\":[],\"mx-host\":[],\"successful-sessions\":-1,\"failures\":[]}]}",
        "{\"day\":\"2026-11-22\",\"policy-domain\":\"example.net\",\"policies\":[{\"policy-type\":\"sts\","
                + "\"policy-domain\":\"example.net\",\"policy-string\":[],\"mx-host\":[],\"successful-sessions\":1.5,\"failures\":[]}]}",
        "{\"day\":\"2026-11-22\",\"policy-domain\":\"example.net\",\"policies\":[{\"policy-type\":\"sts\","
                + "\"policy-domain\":\"example.net\",\"policy-string\":[3],\"mx-host\":[],\"successful-sessions\":1,\"failures\":[]}]}",
        "{\"day\":\"2026-11-22\",\"policy-domain\":\"example.net\",\"policies\":[{\"policy-type\":\"sts\","
                + "\"policy-domain\":\"example.net\",\"policy-string\":[],\"mx-host\":[],\"successful-sessions\":1,"
                + "\"failures\":[{\"result-type\":\"tls-too-old\",\"failed-sessions\":1}]}]}",
        "{\"day\":\"2026-11-22\",\"policy-domain\":\"example.net\",\"policies\":[{\"policy-type\":\"sts\","
                + "\"policy-domain\":\"example.net\",\"policy-string\":[],\"mx-host\":[],\"successful-sessions\":1,"
                + "\"failures\":[{\"result-type\":\"certificate-expired\",\"receiving-ip\":null,\"failed-sessions\":1}]}]}",
    })
    void aRecordThatIsNotWhatWasWrittenIsRefusedWhole(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> CountsRecord.decode(text));
    }

    @Test
    void theSameFailureListedTwiceIsRefused() {
        String once = new CountsRecord(REPORT, List.of(new PolicyCounts(STS, 0, Map.of(EVERY_FIELD, 1L)))).encode();
        String failure = once.substring(once.indexOf("{\"result-type\""), once.lastIndexOf("}]}]}") + 1);
        String twice = once.replace(failure, failure + "," + failure);

        assertThat(twice).isNotEqualTo(once);
        assertThatIllegalArgumentException().isThrownBy(() -> CountsRecord.decode(twice));
    }
}
