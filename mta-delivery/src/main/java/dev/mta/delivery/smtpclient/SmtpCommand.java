package dev.mta.delivery.smtpclient;

import java.util.Objects;

/**
 * One command line without its CRLF. A sensitive command (an AUTH response) is never logged.
 */
record SmtpCommand(String line, boolean sensitive) {

    SmtpCommand {
        Objects.requireNonNull(line, "line");
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            // One command, one line: anything else would inject commands (RFC 5321 2.3.8).
            throw new IllegalArgumentException("command line holds CR or LF");
        }
    }

    static SmtpCommand of(String line) {
        return new SmtpCommand(line, false);
    }

    static SmtpCommand secret(String line) {
        return new SmtpCommand(line, true);
    }

    @Override
    public String toString() {
        if (!sensitive) {
            return line;
        }
        int space = line.indexOf(' ', line.startsWith("AUTH ") ? 5 : 0);
        return (space < 0 ? "" : line.substring(0, space + 1)) + "<hidden>";
    }
}
