package dev.mta.delivery.smtpclient;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One reply from the server (RFC 5321 4.2), all its lines.
 *
 * @param code           the three-digit reply code
 * @param enhancedStatus the RFC 3463 status code at the start of the first line
 *                       ({@code 5.1.1}), when the server sent one whose class matches the code
 * @param lines          the text of each line after the code and separator, as sent
 *                       (enhanced status code included); at least one, possibly empty
 */
public record SmtpReply(int code, Optional<String> enhancedStatus, List<String> lines) {

    public SmtpReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("not an SMTP reply code: " + code);
        }
        Objects.requireNonNull(enhancedStatus, "enhancedStatus");
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply has at least one line");
        }
    }

    /** A one-line reply, its enhanced status code read from the text. */
    public static SmtpReply of(int code, String text) {
        return new SmtpReply(code, EnhancedStatusCode.find(code, text), List.of(text));
    }

    /** The text of all lines joined with a line feed. */
    public String text() {
        return String.join("\n", lines);
    }

    /** 2yz or 3yz (RFC 5321 4.2.1): the command was accepted, finished or to be continued. */
    public boolean isPositive() {
        return code < 400;
    }

    /** 2yz: the command succeeded. */
    public boolean isPositiveCompletion() {
        return code / 100 == 2;
    }

    /** 3yz: go on (354 after DATA, 334 during AUTH). */
    public boolean isPositiveIntermediate() {
        return code / 100 == 3;
    }

    /** 4yz: transient negative completion; the same command may succeed later. */
    public boolean isTransient() {
        return code / 100 == 4;
    }

    /** 5yz: permanent negative completion. */
    public boolean isPermanent() {
        return code / 100 == 5;
    }

    /** The reply on one line, as logs and DSN diagnostics show it: {@code 550 5.1.1 No such user}. */
    @Override
    public String toString() {
        return code + " " + String.join(" ", lines);
    }
}
