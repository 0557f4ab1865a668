package dev.mta.security.tlsrpt;

import java.util.List;

/**
 * A mailed report, ready to be queued: envelope and content.
 *
 * @param envelopeSender the reverse-path: the reporting contact, so that a failed report comes back
 *                       to the people who run reporting (RFC 8460 does not ask for a null sender,
 *                       and RFC 5321 4.5.5 keeps that for delivery notifications)
 * @param recipients     the mailbox of every {@code mailto:} rua URI
 * @param content        the RFC 5322 message, CRLF line endings, 7-bit
 */
public record ReportMessage(String envelopeSender, List<String> recipients, byte[] content) {

    public ReportMessage {
        recipients = List.copyOf(recipients);
        content = content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }
}
