package dev.mta.server.sendmail;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A message read from standard input split into its header fields and its body. Lenient as
 * sendmail is: an mbox "From " line at the top is dropped, and where the first line that is not a
 * header field is not empty, the header ends there and that line starts the body.
 */
record HeaderSection(List<HeaderField> fields, List<String> body) {
    // RFC 5322 2.2: field-name is printable US-ASCII except the colon.
    private static final Pattern FIELD = Pattern.compile("([\\x21-\\x39\\x3b-\\x7e]+)[ \\t]*:.*", Pattern.DOTALL);

    HeaderSection {
        fields = List.copyOf(fields);
        body = List.copyOf(body);
    }

    static HeaderSection split(List<String> lines) {
        List<HeaderField> fields = new ArrayList<>();
        int i = 0;
        if (!lines.isEmpty() && lines.getFirst().startsWith("From ")) {
            i++; // mbox separator (Postfix's sendmail drops it too)
        }
        String name = null;
        List<String> current = new ArrayList<>();
        for (; i < lines.size(); i++) {
            String line = lines.get(i);
            boolean continuation = !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t');
            if (continuation && name != null) {
                current.add(line);
                continue;
            }
            var match = FIELD.matcher(line);
            if (!match.matches()) {
                break;
            }
            if (name != null) {
                fields.add(new HeaderField(name, current));
            }
            name = match.group(1);
            current = new ArrayList<>();
            current.add(line);
        }
        if (name != null) {
            fields.add(new HeaderField(name, current));
        }
        List<String> body = new ArrayList<>();
        if (i < lines.size() && lines.get(i).isEmpty()) {
            i++; // the separator line
        }
        body.addAll(lines.subList(i, lines.size()));
        return new HeaderSection(fields, body);
    }

    boolean has(String name) {
        return fields.stream().anyMatch(f -> f.is(name));
    }

    List<HeaderField> all(String name) {
        return fields.stream().filter(f -> f.is(name)).toList();
    }
}
