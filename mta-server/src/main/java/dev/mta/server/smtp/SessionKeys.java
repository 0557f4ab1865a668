package dev.mta.server.smtp;

import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.IncomingMessage;
import java.util.List;
import org.apache.james.protocols.api.ProtocolSession.AttachmentKey;

/** What a session remembers between commands (James attachments, scoped by state). */
final class SessionKeys {
    private SessionKeys() {
    }

    /** The accepted MAIL command: transaction state. */
    static final AttachmentKey<MailRequest> MAIL = AttachmentKey.of("mta.mail", MailRequest.class);

    /** Accepted recipients, in order: transaction state. */
    @SuppressWarnings("unchecked")
    static final AttachmentKey<List<EnvelopeRecipient>> RECIPIENTS =
            AttachmentKey.of("mta.recipients", (Class<List<EnvelopeRecipient>>) (Class<?>) List.class);

    /** RCPT commands tried in this transaction, accepted or not (for "no valid recipients"). */
    static final AttachmentKey<Integer> RCPT_ATTEMPTS = AttachmentKey.of("mta.rcptAttempts", Integer.class);

    /** The message being received during DATA: transaction state, closed on reset. */
    static final AttachmentKey<IncomingMessage> INCOMING = AttachmentKey.of("mta.incoming", IncomingMessage.class);

    /** The HELO/EHLO argument, as James' greeting handlers record it. */
    static java.util.Optional<String> heloName(org.apache.james.protocols.smtp.SMTPSession session) {
        return session.getAttachment(org.apache.james.protocols.smtp.SMTPSession.CURRENT_HELO_NAME,
                org.apache.james.protocols.api.ProtocolSession.State.Connection);
    }

    /** Whether the client greeted with EHLO, so ESMTP parameters may be used (RFC 5321 4.1.1.1). */
    static boolean extended(org.apache.james.protocols.smtp.SMTPSession session) {
        return session.getAttachment(org.apache.james.protocols.smtp.SMTPSession.CURRENT_HELO_MODE,
                org.apache.james.protocols.api.ProtocolSession.State.Connection).map("EHLO"::equals).orElse(false);
    }
}
