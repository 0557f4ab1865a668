package dev.mta.server.smtp;

import dev.mta.queue.QueueId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/** The header fields the relay writes: Received (RFC 5321 4.4), and Date and Message-ID for submissions (RFC 6409 8). */
public final class TraceHeaders {
    // RFC 5322 3.3 date-time with a numeric zone.
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT);

    private TraceHeaders() {
    }

    /**
     * @param protocol RFC 3848 / RFC 6531 "with" keyword (ESMTP, ESMTPSA, UTF8SMTPS, ...)
     * @param tls      e.g. "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384", when TLS was used
     * @param recipient named only when there is exactly one, so Bcc recipients stay private
     */
    static String received(String heloName, String clientAddress, String hostname, String protocol,
            Optional<String> tls, QueueId id, Optional<String> recipient, ZonedDateTime when) {
        StringBuilder header = new StringBuilder("Received: from ")
                .append(printable(heloName)).append(" ([").append(clientAddress).append("])\r\n")
                .append("\tby ").append(hostname).append(" (mta) with ").append(protocol).append(" id ").append(id);
        tls.ifPresent(t -> header.append("\r\n\t(using ").append(t).append(')'));
        recipient.ifPresent(r -> header.append("\r\n\tfor <").append(printable(r)).append('>'));
        header.append(";\r\n\t").append(DATE.format(when)).append("\r\n");
        return header.toString();
    }

    static String protocol(boolean extended, boolean smtpUtf8, boolean tls, boolean authenticated) {
        if (!extended) {
            return "SMTP";
        }
        return (smtpUtf8 ? "UTF8SMTP" : "ESMTP") + (tls ? "S" : "") + (authenticated ? "A" : "");
    }

    /** A Date field for a message that has none (RFC 5322 3.6.1), with its CRLF. */
    public static String date(ZonedDateTime when) {
        return "Date: " + DATE.format(when) + "\r\n";
    }

    static String messageId(QueueId id, String hostname, ZonedDateTime when) {
        return messageId(id.toString(), hostname, when);
    }

    /** A Message-ID field (RFC 5322 3.6.4), unique through {@code unique}, with its CRLF. */
    public static String messageId(String unique, String hostname, ZonedDateTime when) {
        return "Message-ID: <" + ID_TIME.format(when) + "." + unique + "@" + hostname + ">\r\n";
    }

    /** Client-supplied text goes into a header: keep it to printable characters. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(255).forEach(c -> out.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
        return out.toString();
    }
}
