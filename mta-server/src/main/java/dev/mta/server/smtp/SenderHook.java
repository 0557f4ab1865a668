package dev.mta.server.smtp;

import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.Hook;
import org.apache.james.protocols.smtp.hook.HookResult;

/** Policy for MAIL FROM, James-style (OK, DENY, DENYSOFT or DECLINED), on the relay's parsed request. */
interface SenderHook extends Hook {
    HookResult onSender(SMTPSession session, MailRequest mail);
}
