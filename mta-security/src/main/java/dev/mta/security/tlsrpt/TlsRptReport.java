package dev.mta.security.tlsrpt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * One aggregate report: a policy domain's sessions of one UTC day, written as the JSON of
 * RFC 8460 4.4 and gzipped for both transports (RFC 8460 5.2).
 *
 * @param key              the day and policy domain
 * @param organizationName {@code organization-name}
 * @param contactInfo      {@code contact-info}
 * @param submitter        the reporting domain, the domain of {@code contactInfo} (RFC 8460 5.1 {@code sender})
 * @param policies         the counts per applied policy; at least one
 */
public record TlsRptReport(ReportKey key, String organizationName, String contactInfo, String submitter,
                           List<PolicyCounts> policies) {

    /** The media type of a gzipped report (RFC 8460 5.2, 6.3). */
    public static final String GZIP_MEDIA_TYPE = "application/tlsrpt+gzip";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Comparator<Map.Entry<SessionFailure, Long>> FAILURE_ORDER = Comparator
            .comparing((Map.Entry<SessionFailure, Long> e) -> e.getKey().resultType())
            .thenComparing(e -> e.getKey().receivingMxHostname().orElse(""))
            .thenComparing(e -> e.getKey().receivingIp().orElse(""))
            .thenComparing(e -> e.getKey().toString());

    public TlsRptReport {
        policies = List.copyOf(policies);
        if (policies.isEmpty()) {
            throw new IllegalArgumentException("a report covers at least one policy");
        }
    }

    /** The report of {@code key} from its counts, with the reporter's names from the settings. */
    public static TlsRptReport of(ReportKey key, List<PolicyCounts> counts, TlsRptSettings settings) {
        return new TlsRptReport(key, settings.organizationName(), settings.contactInfo(), settings.submitter(), counts);
    }

    /** The first second of the day (RFC 8460 4.1: the report covers 00:00 to 24:00 UTC). */
    public Instant start() {
        return key.day().atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The last second of the day, as in the example report of RFC 8460 4.5 ({@code T23:59:59Z}). */
    public Instant end() {
        return key.day().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(1);
    }

    /**
     * {@code report-id}: the same for every attempt at sending this report, so that a collector can
     * drop duplicates (RFC 8460 5.3), and shaped as the {@code id-left "@" id-right} of a message
     * id, as the Subject of a mailed report needs.
     */
    public String reportId() {
        return key.day() + "." + key.policyDomain() + "@" + submitter;
    }

    /**
     * The file name of the gzipped report (RFC 8460 5.1):
     * {@code sender "!" policy-domain "!" begin-timestamp "!" end-timestamp ".json.gz"}, the
     * timestamps in seconds since the epoch. No unique-id: one report per domain and day.
     */
    public String fileName() {
        return submitter + "!" + key.policyDomain() + "!" + start().getEpochSecond() + "!" + end().getEpochSecond()
                + ".json.gz";
    }

    /** The report as UTF-8 JSON (RFC 8460 4.4). */
    public byte[] json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("organization-name", organizationName);
        ObjectNode dateRange = root.putObject("date-range");
        dateRange.put("start-datetime", RFC_3339.format(start()));
        dateRange.put("end-datetime", RFC_3339.format(end()));
        root.put("contact-info", contactInfo);
        root.put("report-id", reportId());
        // RFC 8460 4.4: "policies" is an array even when one policy was applied
        ArrayNode policyArray = root.putArray("policies");
        for (PolicyCounts counts : policies) {
            writePolicy(policyArray.addObject(), counts);
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON, gzipped (RFC 8460 5.2, RFC 1952). */
    public byte[] gzip() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(json());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writePolicy(ObjectNode entry, PolicyCounts counts) {
        AppliedPolicy applied = counts.policy();
        ObjectNode policy = entry.putObject("policy");
        policy.put("policy-type", applied.type().rfcName());
        if (!applied.policyStrings().isEmpty()) {
            ArrayNode strings = policy.putArray("policy-string");
            applied.policyStrings().forEach(strings::add);
        }
        policy.put("policy-domain", applied.policyDomain());
        if (!applied.mxHosts().isEmpty()) {
            ArrayNode mxHosts = policy.putArray("mx-host");
            applied.mxHosts().forEach(mxHosts::add);
        }
        ObjectNode summary = entry.putObject("summary");
        summary.put("total-successful-session-count", counts.successfulSessions());
        summary.put("total-failure-session-count", counts.failedSessions());
        if (counts.failures().isEmpty()) {
            return;
        }
        ArrayNode details = entry.putArray("failure-details");
        counts.failures().entrySet().stream().sorted(FAILURE_ORDER)
                .forEach(failure -> writeFailure(details.addObject(), failure.getKey(), failure.getValue()));
    }

    private static void writeFailure(ObjectNode detail, SessionFailure failure, long sessions) {
        detail.put("result-type", failure.resultType().rfcName());
        putIfPresent(detail, "sending-mta-ip", failure.sendingMtaIp());
        putIfPresent(detail, "receiving-mx-hostname", failure.receivingMxHostname());
        putIfPresent(detail, "receiving-mx-helo", failure.receivingMxHelo());
        putIfPresent(detail, "receiving-ip", failure.receivingIp());
        detail.put("failed-session-count", sessions);
        putIfPresent(detail, "additional-information", failure.additionalInformation());
        putIfPresent(detail, "failure-reason-code", failure.failureReasonCode());
    }

    private static void putIfPresent(ObjectNode node, String name, Optional<String> value) {
        value.ifPresent(v -> node.put(name, v));
    }
}
