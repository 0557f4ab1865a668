package dev.mta.server.smtp;

import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.api.handler.DisconnectHandler;
import org.apache.james.protocols.smtp.SMTPSession;

/** A client that disconnects during DATA leaves a spool file behind: discard it (it never got 250). */
final class TransactionCleanup implements DisconnectHandler<SMTPSession> {
    @Override
    public void onDisconnect(SMTPSession session) {
        if (session != null) {
            session.removeAttachment(SessionKeys.INCOMING, State.Transaction).ifPresent(message -> message.close());
        }
    }
}
