package dev.mta.queue;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Why a recipient stands where it does, in the terms a DSN reports it (RFC 3464 2.3.4 Status,
 * 2.3.5 Remote-MTA, 2.3.6 Diagnostic-Code).
 *
 * @param status    the RFC 3463 enhanced status code, such as {@code 5.1.1}
 * @param text      what the next hop replied, whole ({@code 550 5.1.1 <bob@example.net>: user unknown}),
 *                  or the relay's own words when it decided by itself. One line: a multi-line
 *                  reply is kept with its lines joined by a single space, as Postfix logs them
 *                  ({@code 550-5.1.1 first 550 5.1.1 last}); CR and LF never reach a DSN header.
 * @param remoteMta the host that said it; empty when the relay decided locally, and the DSN
 *                  then has no Diagnostic-Code of type smtp
 */
public record Diagnosis(String status, String text, Optional<String> remoteMta) {
    // RFC 3463 2: class "." subject "." detail; class is 2, 4 or 5; subject and detail 1*3digit.
    private static final Pattern STATUS = Pattern.compile("[245]\\.[0-9]{1,3}\\.[0-9]{1,3}");
    private static final Pattern LINE_BREAKS = Pattern.compile("[ \\t]*(\\r\\n|\\r|\\n)[ \\t]*");

    public Diagnosis {
        Objects.requireNonNull(status, "status");
        if (!STATUS.matcher(status).matches()) {
            throw new IllegalArgumentException("not an RFC 3463 enhanced status code: " + status);
        }
        Objects.requireNonNull(text, "text");
        text = LINE_BREAKS.matcher(text.strip()).replaceAll(" ");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("a diagnosis needs a text: say what the next hop or the relay said");
        }
        Objects.requireNonNull(remoteMta, "remoteMta");
        if (remoteMta.isPresent() && remoteMta.get().isBlank()) {
            throw new IllegalArgumentException("a remote MTA needs a name; use Optional.empty() for a local decision");
        }
    }

    /** What the next hop {@code remoteMta} replied. */
    public static Diagnosis remote(String status, String reply, String remoteMta) {
        return new Diagnosis(status, reply, Optional.of(remoteMta));
    }

    /** What the relay decided by itself (no route, expired, refused by policy). */
    public static Diagnosis local(String status, String text) {
        return new Diagnosis(status, text, Optional.empty());
    }

    /** The class digit of the status: 2 success, 4 persistent transient failure, 5 permanent failure. */
    public int statusClass() {
        return status.charAt(0) - '0';
    }
}
