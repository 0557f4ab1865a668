package dev.mta.delivery.dsn;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SequencedMap;
import java.util.regex.Pattern;

/**
 * A small checker of the RFC 3464 2.1 to 2.3 grammar of a delivery-status body: per-message fields,
 * then one or more per-recipient groups after an empty line each; each field's value matches its
 * rule, fields come in the grammar's order, required fields are there, and nothing else but "X-"
 * extension fields (2.4) at the end of a group. Failing input throws an AssertionError naming the rule.
 */
final class DeliveryStatusGrammar {

    private static final String DATE = "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{1,2} "
            + "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4}";
    // address-type ";" generic-address; mta-name-type ";" mta-name; diagnostic-type ";" *text
    private static final String TYPED = "[A-Za-z0-9-]+; ?\\S.*";

    // RFC 3464 2.2: per-message-fields, in order; "!" marks a required field.
    private static final List<Rule> PER_MESSAGE = List.of(
            new Rule("Original-Envelope-Id", false, "\\S.*"),
            new Rule("Reporting-MTA", true, "dns; ?[A-Za-z0-9.-]+"),
            new Rule("DSN-Gateway", false, TYPED),
            new Rule("Received-From-MTA", false, TYPED),
            new Rule("Arrival-Date", false, DATE));

    // RFC 3464 2.3: per-recipient-fields, in order.
    private static final List<Rule> PER_RECIPIENT = List.of(
            new Rule("Original-Recipient", false, TYPED),
            new Rule("Final-Recipient", true, TYPED),
            new Rule("Action", true, "(failed|delayed|delivered|relayed|expanded)"),
            new Rule("Status", true, "[245]\\.\\d{1,3}\\.\\d{1,3}"),
            new Rule("Remote-MTA", false, "dns; ?\\S+"),
            new Rule("Diagnostic-Code", false, "[A-Za-z0-9-]+; ?.*"),
            new Rule("Last-Attempt-Date", false, DATE),
            new Rule("Final-Log-ID", false, "\\S.*"),
            new Rule("Will-Retry-Until", false, DATE));

    private static final Pattern EXTENSION = Pattern.compile("X-[A-Za-z0-9-]+");
    private static final Pattern FIELD = Pattern.compile("([\\x21-\\x39\\x3b-\\x7e]+):[ \\t]*(.*)", Pattern.DOTALL);

    private record Rule(String name, boolean required, String value) {
    }

    /** The parsed fields: names as written, values unfolded. */
    record Report(SequencedMap<String, String> perMessage, List<SequencedMap<String, String>> recipients) {
    }

    private DeliveryStatusGrammar() {
    }

    static Report parse(String body) {
        if (!body.endsWith("\r\n")) {
            throw new AssertionError("delivery-status body must end with CRLF");
        }
        List<List<String>> groups = new ArrayList<>();
        List<String> group = new ArrayList<>();
        for (String line : body.substring(0, body.length() - 2).split("\r\n", -1)) {
            if (line.contains("\r") || line.contains("\n")) {
                throw new AssertionError("bare CR or LF in: " + line);
            }
            if (line.isEmpty()) {
                if (group.isEmpty()) {
                    throw new AssertionError("two empty lines in a row, or an empty group");
                }
                groups.add(group);
                group = new ArrayList<>();
            } else if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (group.isEmpty()) {
                    throw new AssertionError("continuation line without a field: " + line);
                }
                group.set(group.size() - 1, group.getLast() + line); // unfold: drop the CRLF only
            } else {
                group.add(line);
            }
        }
        if (group.isEmpty()) {
            throw new AssertionError("the body ends with an empty group");
        }
        groups.add(group);
        if (groups.size() < 2) {
            throw new AssertionError("no per-recipient group (RFC 3464 2.1: 1*( CRLF per-recipient-fields ))");
        }
        SequencedMap<String, String> perMessage = check(groups.get(0), PER_MESSAGE);
        List<SequencedMap<String, String>> recipients = new ArrayList<>();
        for (List<String> g : groups.subList(1, groups.size())) {
            recipients.add(check(g, PER_RECIPIENT));
        }
        return new Report(perMessage, recipients);
    }

    private static SequencedMap<String, String> check(List<String> lines, List<Rule> rules) {
        SequencedMap<String, String> fields = new LinkedHashMap<>();
        int position = -1;
        boolean inExtensions = false;
        for (String line : lines) {
            var m = FIELD.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("not a field: " + line);
            }
            String name = m.group(1);
            String value = m.group(2).strip();
            if (fields.keySet().stream().anyMatch(n -> n.equalsIgnoreCase(name))) {
                throw new AssertionError("field twice: " + name);
            }
            int index = indexOf(rules, name);
            if (index < 0) {
                if (!EXTENSION.matcher(name).matches()) {
                    throw new AssertionError("unknown field: " + name);
                }
                inExtensions = true;
            } else {
                if (inExtensions || index <= position) {
                    throw new AssertionError("field out of the grammar's order: " + name);
                }
                position = index;
                if (!value.matches(rules.get(index).value())) {
                    throw new AssertionError(name + " value does not match " + rules.get(index).value() + ": " + value);
                }
                if (rules.get(index).value().equals(DATE)) {
                    DateTimeFormatter.RFC_1123_DATE_TIME.parse(value, ZonedDateTime::from);
                }
            }
            fields.put(name, value);
        }
        for (Rule rule : rules) {
            if (rule.required() && !fields.containsKey(rule.name())) {
                throw new AssertionError("required field missing: " + rule.name());
            }
        }
        return fields;
    }

    private static int indexOf(List<Rule> rules, String name) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        return -1;
    }

    /** Date fields read back. */
    static ZonedDateTime date(String value) {
        return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
    }

    static Map<String, String> only(Report report) {
        if (report.recipients().size() != 1) {
            throw new AssertionError("expected one recipient group, got " + report.recipients().size());
        }
        return report.recipients().getFirst();
    }
}
