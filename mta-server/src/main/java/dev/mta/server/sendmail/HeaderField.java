package dev.mta.server.sendmail;

import java.util.List;
import java.util.Locale;

/**
 * One header field as read: its name and its lines, the first with "Name:" and any folded
 * continuation lines (RFC 5322 2.2.3).
 */
record HeaderField(String name, List<String> lines) {

    HeaderField {
        lines = List.copyOf(lines);
    }

    static HeaderField of(String name, String value) {
        return new HeaderField(name, List.of(name + ": " + value));
    }

    boolean is(String other) {
        return name.equalsIgnoreCase(other);
    }

    /** The unfolded value after the colon (RFC 5322 2.2.3). */
    String value() {
        String first = lines.getFirst();
        StringBuilder value = new StringBuilder(first.substring(first.indexOf(':') + 1));
        for (String continuation : lines.subList(1, lines.size())) {
            value.append(continuation);
        }
        return value.toString().strip();
    }

    String lowerName() {
        return name.toLowerCase(Locale.ROOT);
    }
}
