package dev.mta.server.smtp;

import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.StoreException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.smtp.SMTPSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** DATA (RFC 5321 4.1.1.4): opens a spool file in the queue and hands the lines to a {@link DataReader}. */
final class DataCommand implements CommandHandler<SMTPSession> {
    private static final Logger LOG = LoggerFactory.getLogger(DataCommand.class);

    private final ListenerContext context;

    DataCommand(ListenerContext context) {
        this.context = context;
    }

    @Override
    public Collection<String> getImplCommands() {
        return Set.of("DATA");
    }

    @Override
    public Response onCommand(SMTPSession session, Request request) {
        if (request.getArgument() != null && !request.getArgument().isBlank()) {
            return Replies.DATA_ARGUMENT;
        }
        Optional<MailRequest> mail = session.getAttachment(SessionKeys.MAIL, State.Transaction);
        if (mail.isEmpty()) {
            return Replies.NEED_MAIL;
        }
        List<EnvelopeRecipient> recipients = RcptCommand.recipients(session);
        if (recipients.isEmpty()) {
            // RFC 2920 3.1: with pipelining, DATA after only refused recipients gets 554.
            boolean triedSome = session.getAttachment(SessionKeys.RCPT_ATTEMPTS, State.Transaction).orElse(0) > 0;
            return triedSome ? Replies.NO_VALID_RECIPIENTS : Replies.NEED_RCPT;
        }
        if (!context.storageHasRoom(context.queueSettings().minFreeSpace())) {
            return Replies.NO_STORAGE;
        }
        IncomingMessage message;
        try {
            message = context.store().receive();
        } catch (StoreException e) {
            LOG.error("cannot open a spool file: {}", e.getMessage());
            return e.isResourceShortage() ? Replies.NO_STORAGE : Replies.STORE_FAILED;
        }
        session.setAttachment(SessionKeys.INCOMING, message, State.Transaction);
        session.pushLineHandler(new DataReader(context, message, mail.get(), recipients, ClientIdentity.of(session)));
        return Replies.START_DATA;
    }
}
