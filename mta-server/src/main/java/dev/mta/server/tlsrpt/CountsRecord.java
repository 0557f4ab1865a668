package dev.mta.server.tlsrpt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mta.security.tlsrpt.AppliedPolicy;
import dev.mta.security.tlsrpt.PolicyCounts;
import dev.mta.security.tlsrpt.PolicyType;
import dev.mta.security.tlsrpt.ReportKey;
import dev.mta.security.tlsrpt.ResultType;
import dev.mta.security.tlsrpt.SessionFailure;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One report's counts as the text of a keyed record: JSON with the RFC 8460 4.4 member names
 * where there is one, every field of {@link AppliedPolicy} and {@link SessionFailure}, an absent
 * optional field left out (so an empty string stays an empty string). Reading is strict: a value
 * of the wrong type or an unknown policy or result type makes the whole record unreadable.
 *
 * @param key      the report
 * @param policies its counts per applied policy
 */
record CountsRecord(ReportKey key, List<PolicyCounts> policies) {

    // KeyedRecord allows keys of 255 characters; a day and a domain name can be longer.
    static final int MAX_KEY_LENGTH = 255;

    private static final ObjectMapper JSON = new ObjectMapper();

    CountsRecord {
        policies = List.copyOf(policies);
    }

    /**
     * The record key of a report: {@code day/domain}, readable for an operator looking into the
     * database; for a domain too long for that, the day and the SHA-256 of the domain (the value
     * holds the domain either way).
     */
    static String recordKey(ReportKey key) {
        String plain = key.day() + "/" + key.policyDomain();
        if (plain.length() <= MAX_KEY_LENGTH) {
            return plain;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.policyDomain().getBytes(StandardCharsets.UTF_8));
            return key.day() + "/sha-256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    String encode() {
        ObjectNode root = JSON.createObjectNode();
        root.put("day", key.day().toString());
        root.put("policy-domain", key.policyDomain());
        ArrayNode entries = root.putArray("policies");
        for (PolicyCounts counts : policies) {
            ObjectNode entry = entries.addObject();
            AppliedPolicy policy = counts.policy();
            entry.put("policy-type", policy.type().rfcName());
            entry.put("policy-domain", policy.policyDomain());
            strings(entry.putArray("policy-string"), policy.policyStrings());
            strings(entry.putArray("mx-host"), policy.mxHosts());
            entry.put("successful-sessions", counts.successfulSessions());
            ArrayNode failures = entry.putArray("failures");
            counts.failures().forEach((failure, sessions) -> {
                ObjectNode detail = failures.addObject();
                detail.put("result-type", failure.resultType().rfcName());
                optional(detail, "sending-mta-ip", failure.sendingMtaIp());
                optional(detail, "receiving-mx-hostname", failure.receivingMxHostname());
                optional(detail, "receiving-mx-helo", failure.receivingMxHelo());
                optional(detail, "receiving-ip", failure.receivingIp());
                optional(detail, "additional-information", failure.additionalInformation());
                optional(detail, "failure-reason-code", failure.failureReasonCode());
                detail.put("failed-sessions", sessions);
            });
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers is always writable", e);
        }
    }

    /**
     * @throws IllegalArgumentException when the text is not a record this class wrote
     */
    static CountsRecord decode(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        ReportKey key = new ReportKey(day(text(root, "day")), text(root, "policy-domain"));
        List<PolicyCounts> policies = new ArrayList<>();
        for (JsonNode entry : array(root, "policies")) {
            AppliedPolicy policy = new AppliedPolicy(policyType(text(entry, "policy-type")), text(entry, "policy-domain"),
                    strings(array(entry, "policy-string")), strings(array(entry, "mx-host")));
            Map<SessionFailure, Long> failures = new LinkedHashMap<>();
            for (JsonNode detail : array(entry, "failures")) {
                SessionFailure failure = new SessionFailure(resultType(text(detail, "result-type")),
                        optional(detail, "sending-mta-ip"), optional(detail, "receiving-mx-hostname"),
                        optional(detail, "receiving-mx-helo"), optional(detail, "receiving-ip"),
                        optional(detail, "additional-information"), optional(detail, "failure-reason-code"));
                if (failures.put(failure, count(detail, "failed-sessions")) != null) {
                    throw new IllegalArgumentException("a failure listed twice");
                }
            }
            policies.add(new PolicyCounts(policy, count(entry, "successful-sessions"), failures));
        }
        return new CountsRecord(key, policies);
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static void optional(ObjectNode node, String name, Optional<String> value) {
        value.ifPresent(v -> node.put(name, v));
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("no text " + name);
        }
        return value.textValue();
    }

    private static Optional<String> optional(JsonNode node, String name) {
        return node.has(name) ? Optional.of(text(node, name)) : Optional.empty();
    }

    private static long count(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw new IllegalArgumentException("no count " + name);
        }
        return value.longValue();
    }

    private static JsonNode array(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isArray()) {
            throw new IllegalArgumentException("no array " + name);
        }
        return value;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        for (JsonNode value : array) {
            if (!value.isTextual()) {
                throw new IllegalArgumentException("not a string: " + value);
            }
            values.add(value.textValue());
        }
        return values;
    }

    private static LocalDate day(String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a day: " + text, e);
        }
    }

    private static PolicyType policyType(String name) {
        return Arrays.stream(PolicyType.values()).filter(t -> t.rfcName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown policy type " + name));
    }

    private static ResultType resultType(String name) {
        return Arrays.stream(ResultType.values()).filter(t -> t.rfcName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown result type " + name));
    }
}
