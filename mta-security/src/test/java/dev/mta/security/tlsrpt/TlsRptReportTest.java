package dev.mta.security.tlsrpt;

import dev.mta.testsupport.tlsrpt.ReportSchema;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON report of RFC 8460 4.4, its gzip (5.2) and file name (5.1). */
class TlsRptReportTest {

    private final TlsRptReport report = DayOfSessions.report(DayOfSessions.settings());

    @Test
    void aDayOfSessionsValidatesAgainstTheSchema() {
        assertThat(ReportSchema.problems(report.json())).isEmpty();
    }

    @Test
    void theSchemaAcceptsTheRfcExampleAndRefusesBrokenReports() {
        assertThat(ReportSchema.problems(ReportSchema.resource("rfc8460-example-report.json"))).isEmpty();

        ObjectNode badDate = (ObjectNode) ReportSchema.parse(report.json());
        ((ObjectNode) badDate.get("date-range")).put("start-datetime", "22 Nov 2026");
        assertThat(ReportSchema.problems(badDate.toString().getBytes(StandardCharsets.UTF_8))).isNotEmpty();

        ObjectNode badType = (ObjectNode) ReportSchema.parse(report.json());
        ((ObjectNode) badType.get("policies").get(0).get("failure-details").get(0)).put("result-type", "expired");
        assertThat(ReportSchema.problems(badType.toString().getBytes(StandardCharsets.UTF_8))).isNotEmpty();

        ObjectNode noPolicies = (ObjectNode) ReportSchema.parse(report.json());
        noPolicies.remove("policies");
        assertThat(ReportSchema.problems(noPolicies.toString().getBytes(StandardCharsets.UTF_8))).isNotEmpty();
    }

    @Test
    void headerNamesTheReporterAndTheWholeUtcDay() {
        JsonNode json = ReportSchema.parse(report.json());

        assertThat(json.get("organization-name").asText()).isEqualTo("Relay Operators Inc.");
        assertThat(json.get("contact-info").asText()).isEqualTo("tlsrpt@mta.example.org");
        assertThat(json.get("date-range").get("start-datetime").asText()).isEqualTo("2026-11-22T00:00:00Z");
        assertThat(json.get("date-range").get("end-datetime").asText()).isEqualTo("2026-11-22T23:59:59Z");
        assertThat(json.get("report-id").asText()).isEqualTo("2026-11-22.example.net@mta.example.org");
    }

    @Test
    void eachPolicyHasItsSummaryAndFailureDetails() {
        JsonNode policies = ReportSchema.parse(report.json()).get("policies");
        JsonNode sts = find(policies, "sts");
        JsonNode tlsa = find(policies, "tlsa");

        assertThat(policies).hasSize(2);
        assertThat(texts(sts.get("policy").get("policy-string"))).containsExactlyElementsOf(
                DayOfSessions.STS.policyStrings());
        assertThat(texts(sts.get("policy").get("mx-host")))
                .containsExactly("mx1.example.net", "*.backup.example.net");
        assertThat(sts.get("policy").get("policy-domain").asText()).isEqualTo("example.net");
        assertThat(sts.get("summary").get("total-successful-session-count").asLong()).isEqualTo(5);
        assertThat(sts.get("summary").get("total-failure-session-count").asLong()).isEqualTo(3);

        JsonNode details = sts.get("failure-details");
        assertThat(details).hasSize(2);
        JsonNode noStartTls = details.get(0);
        assertThat(noStartTls.get("result-type").asText()).isEqualTo("starttls-not-supported");
        assertThat(noStartTls.get("receiving-mx-hostname").asText()).isEqualTo("a.backup.example.net");
        assertThat(noStartTls.get("receiving-ip").asText()).isEqualTo("2001:db8::53");
        assertThat(noStartTls.get("sending-mta-ip").asText()).isEqualTo("192.0.2.25");
        assertThat(noStartTls.get("failed-session-count").asLong()).isEqualTo(1);
        assertThat(noStartTls.has("receiving-mx-helo")).isFalse();
        JsonNode expired = details.get(1);
        assertThat(expired.get("result-type").asText()).isEqualTo("certificate-expired");
        assertThat(expired.get("receiving-mx-helo").asText()).isEqualTo("mx1.example.net");
        assertThat(expired.get("failed-session-count").asLong()).isEqualTo(2);

        assertThat(tlsa.get("policy").has("mx-host")).isFalse();
        assertThat(tlsa.get("failure-details").get(0).get("failure-reason-code").asText())
                .isEqualTo("no TLSA record matches the chain");
    }

    @Test
    void aDayWithoutFailuresHasNoFailureDetails() {
        TlsRptReport quiet = TlsRptReport.of(report.key(),
                List.of(new PolicyCounts(AppliedPolicy.noPolicyFound("example.net"), 7, java.util.Map.of())),
                DayOfSessions.settings());
        JsonNode policy = ReportSchema.parse(quiet.json()).get("policies").get(0);

        assertThat(ReportSchema.problems(quiet.json())).isEmpty();
        assertThat(policy.has("failure-details")).isFalse();
        assertThat(policy.get("policy").has("policy-string")).isFalse();
        assertThat(policy.get("policy").get("policy-type").asText()).isEqualTo("no-policy-found");
    }

    @Test
    void gzipRoundTripGivesTheJson() {
        byte[] gzipped = report.gzip();

        assertThat(gzipped[0] & 0xff).isEqualTo(0x1f);
        assertThat(gzipped[1] & 0xff).isEqualTo(0x8b);
        assertThat(ReportSchema.gunzip(gzipped)).isEqualTo(report.json());
    }

    @Test
    void fileNameIsSubmitterDomainBeginAndEnd() {
        // 2026-11-22T00:00:00Z is 1795305600 seconds after the epoch
        assertThat(report.fileName()).isEqualTo("mta.example.org!example.net!1795305600!1795391999.json.gz");
    }

    @Test
    void ipv6AddressesAreWrittenAsRfc5952Says() throws Exception {
        assertThat(SessionFailure.addressText(InetAddress.getByName("2001:DB8:0:0:1:0:0:1")))
                .isEqualTo("2001:db8::1:0:0:1");
        assertThat(SessionFailure.addressText(InetAddress.getByName("2001:db8:0:1:1:1:1:1")))
                .isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(SessionFailure.addressText(InetAddress.getByName("::1"))).isEqualTo("::1");
        assertThat(SessionFailure.addressText(InetAddress.getByName("fe80::"))).isEqualTo("fe80::");
        assertThat(SessionFailure.addressText(InetAddress.getByName("::"))).isEqualTo("::");
    }

    private static JsonNode find(JsonNode policies, String type) {
        for (JsonNode policy : policies) {
            if (policy.get("policy").get("policy-type").asText().equals(type)) {
                return policy;
            }
        }
        throw new AssertionError("no " + type + " policy in " + policies);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
