package dev.mta.server.smtp;

import dev.mta.queue.EnvelopeRecipient;
import dev.mta.server.smtp.syntax.EsmtpParameters;
import dev.mta.server.smtp.syntax.PathParser;
import dev.mta.server.smtp.syntax.SyntaxException;
import dev.mta.server.smtp.syntax.Xtext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.api.ProtocolSession.AttachmentKey;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.AbstractHookableCmdHandler;
import org.apache.james.protocols.smtp.hook.HookResult;

/**
 * RCPT TO (RFC 5321 4.1.1.3) with NOTIFY and ORCPT (RFC 3461 4.1, 4.2). The recipient limit
 * answers 452 4.5.3 (RFC 5321 4.5.3.1.10) so the client sends the rest in another transaction.
 */
final class RcptCommand extends AbstractHookableCmdHandler<RecipientHook> {
    private static final AttachmentKey<EnvelopeRecipient> PENDING = AttachmentKey.of("mta.pendingRcpt", EnvelopeRecipient.class);

    private final ListenerContext context;

    RcptCommand(MetricFactory metrics, ListenerContext context) {
        super(metrics);
        this.context = context;
    }

    @Override
    public Collection<String> getImplCommands() {
        return Set.of("RCPT");
    }

    @Override
    public Response onCommand(SMTPSession session, Request request) {
        int attempts = session.getAttachment(SessionKeys.RCPT_ATTEMPTS, State.Transaction).orElse(0);
        session.setAttachment(SessionKeys.RCPT_ATTEMPTS, attempts + 1, State.Transaction);
        try {
            return super.onCommand(session, request);
        } finally {
            session.removeAttachment(PENDING, State.Transaction);
        }
    }

    @Override
    protected Response doFilterChecks(SMTPSession session, String command, String argument) {
        Optional<MailRequest> mail = session.getAttachment(SessionKeys.MAIL, State.Transaction);
        if (mail.isEmpty()) {
            return Replies.NEED_MAIL;
        }
        if (argument == null || !argument.regionMatches(true, 0, "TO:", 0, 3)) {
            return Replies.RCPT_SYNTAX;
        }
        PathParser.Parsed parsed;
        try {
            parsed = PathParser.parse(argument.substring(3).stripLeading(), false, true);
        } catch (SyntaxException e) {
            return Replies.reply(501, "5.1.3", "Bad recipient address syntax: " + e.getMessage());
        }
        String address = parsed.mailbox().orElseThrow().address();
        if (parsed.mailbox().get().needsSmtpUtf8() && !mail.get().smtpUtf8()) {
            return Replies.reply(553, "5.6.7", "Non-ASCII recipient address needs SMTPUTF8 on MAIL");
        }
        EnvelopeRecipient recipient;
        try {
            recipient = recipient(session, address, parsed.rest());
        } catch (SyntaxException e) {
            return Replies.reply(501, "5.5.4", e.getMessage());
        } catch (UnsupportedParameter e) {
            return Replies.reply(555, "5.5.4", e.getMessage());
        }
        if (recipients(session).size() >= context.smtp().maxRecipients()) {
            return Replies.TOO_MANY_RECIPIENTS;
        }
        session.setAttachment(PENDING, recipient, State.Transaction);
        return null;
    }

    private EnvelopeRecipient recipient(SMTPSession session, String address, String rest)
            throws SyntaxException, UnsupportedParameter {
        EsmtpParameters params = EsmtpParameters.parse(rest);
        boolean extended = SessionKeys.extended(session);
        if (!extended && !params.keywords().isEmpty()) {
            throw new UnsupportedParameter("RCPT parameters need EHLO, not HELO");
        }
        for (String keyword : params.keywords()) {
            if (!keyword.equals("NOTIFY") && !keyword.equals("ORCPT")) {
                throw new UnsupportedParameter("Unsupported RCPT parameter " + keyword);
            }
        }
        Set<EnvelopeRecipient.Notify> notify = EnumSet.noneOf(EnvelopeRecipient.Notify.class);
        Optional<String> notifyText = params.value("NOTIFY");
        if (notifyText.isPresent()) {
            for (String item : notifyText.get().split(",", -1)) {
                try {
                    notify.add(EnvelopeRecipient.Notify.valueOf(item.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new SyntaxException("NOTIFY takes NEVER or a list of SUCCESS, FAILURE, DELAY");
                }
            }
            if (notify.contains(EnvelopeRecipient.Notify.NEVER) && notify.size() > 1) {
                throw new SyntaxException("NOTIFY=NEVER cannot be combined with other values");
            }
        }
        Optional<String> orcpt = Optional.empty();
        Optional<String> orcptText = params.value("ORCPT");
        if (orcptText.isPresent()) {
            // RFC 3461 4.2: ORCPT=addr-type ";" xtext
            int semicolon = orcptText.get().indexOf(';');
            if (semicolon <= 0 || semicolon == orcptText.get().length() - 1) {
                throw new SyntaxException("ORCPT must be addr-type;address, e.g. rfc822;user@example.org");
            }
            String type = orcptText.get().substring(0, semicolon);
            if (!type.matches("[A-Za-z0-9][A-Za-z0-9-]*")) {
                throw new SyntaxException("ORCPT has an invalid address type");
            }
            orcpt = Optional.of(type + ";" + Xtext.decode(orcptText.get().substring(semicolon + 1)));
        }
        return new EnvelopeRecipient(address, notify, orcpt);
    }

    @Override
    protected Response doCoreCmd(SMTPSession session, String command, String argument) {
        EnvelopeRecipient recipient = session.getAttachment(PENDING, State.Transaction).orElseThrow();
        List<EnvelopeRecipient> recipients = new ArrayList<>(recipients(session));
        recipients.add(recipient);
        session.setAttachment(SessionKeys.RECIPIENTS, List.copyOf(recipients), State.Transaction);
        return Replies.reply(250, "2.1.5", "Recipient <" + recipient.address() + "> OK");
    }

    static List<EnvelopeRecipient> recipients(SMTPSession session) {
        return session.getAttachment(SessionKeys.RECIPIENTS, State.Transaction).orElse(List.of());
    }

    @Override
    protected Class<RecipientHook> getHookInterface() {
        return RecipientHook.class;
    }

    @Override
    protected HookResult callHook(RecipientHook hook, SMTPSession session, String argument) {
        return hook.onRecipient(session, session.getAttachment(PENDING, State.Transaction).orElseThrow());
    }

    private static final class UnsupportedParameter extends Exception {
        private static final long serialVersionUID = 1L;

        UnsupportedParameter(String message) {
            super(message, null, false, false);
        }
    }
}
