package dev.mta.server.smtp;

import dev.mta.queue.EnvelopeRecipient;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.Hook;
import org.apache.james.protocols.smtp.hook.HookResult;

/**
 * Policy for one RCPT, James-style: answer OK (accept, skip later hooks), DENY or DENYSOFT (with
 * a reply), or DECLINED (no opinion). Takes the relay's own parsed recipient, since James'
 * MailAddress cannot represent every RFC 6531 address.
 */
interface RecipientHook extends Hook {
    HookResult onRecipient(SMTPSession session, EnvelopeRecipient recipient);
}
