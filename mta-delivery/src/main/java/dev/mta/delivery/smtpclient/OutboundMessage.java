package dev.mta.delivery.smtpclient;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One message for one hop: the envelope, what the content needs from the server, and the content.
 *
 * @param sender     the reverse-path without angle brackets; empty for the null sender (bounces)
 * @param recipients at least one, in the order their results come back
 * @param size       the content size in octets (before dot-stuffing), for SIZE (RFC 1870)
 * @param eightBit   the content has 8-bit octets: sent with BODY=8BITMIME (RFC 6152)
 * @param smtpUtf8   an address or header needs SMTPUTF8 (RFC 6531)
 * @param dsnRet     DSN RET ({@code FULL} or {@code HDRS}), when the submitter gave one
 * @param dsnEnvid   DSN ENVID, decoded (not xtext), when the submitter gave one
 * @param requireTls the message carries REQUIRETLS (RFC 8689): only to a server that offers it
 */
public record OutboundMessage(String sender, List<OutboundRecipient> recipients, long size, boolean eightBit,
                              boolean smtpUtf8, Optional<String> dsnRet, Optional<String> dsnEnvid,
                              BodySource body, boolean requireTls) {

    public OutboundMessage {
        checkPath(sender, "sender");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a message needs at least one recipient");
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative size: " + size);
        }
        Objects.requireNonNull(dsnRet, "dsnRet");
        Objects.requireNonNull(dsnEnvid, "dsnEnvid");
        Objects.requireNonNull(body, "body");
    }

    /** Without REQUIRETLS. */
    public OutboundMessage(String sender, List<OutboundRecipient> recipients, long size, boolean eightBit,
                           boolean smtpUtf8, Optional<String> dsnRet, Optional<String> dsnEnvid, BodySource body) {
        this(sender, recipients, size, eightBit, smtpUtf8, dsnRet, dsnEnvid, body, false);
    }

    /**
     * A path goes into a command line, so it must not hold what would end the line (the
     * acceptance side has parsed it; this is the last guard against command injection).
     */
    static void checkPath(String path, String what) {
        Objects.requireNonNull(path, what);
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                throw new IllegalArgumentException(what + " holds a character no path may hold: " + path);
            }
        }
    }
}
