package dev.mta.server.smtp;

import dev.mta.queue.Envelope;
import dev.mta.server.smtp.syntax.EsmtpParameters;
import dev.mta.server.smtp.syntax.Mailbox;
import dev.mta.server.smtp.syntax.PathParser;
import dev.mta.server.smtp.syntax.SyntaxException;
import dev.mta.server.smtp.syntax.Xtext;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.AbstractHookableCmdHandler;
import org.apache.james.protocols.smtp.hook.HookResult;

/**
 * MAIL FROM (RFC 5321 4.1.1.2) with SIZE (RFC 1870), BODY (RFC 6152), SMTPUTF8 (RFC 6531),
 * RET and ENVID (RFC 3461) and AUTH (RFC 4954 5). Unknown parameters are refused with 555 as
 * RFC 5321 4.1.1.11 asks, instead of being silently dropped.
 */
final class MailCommand extends AbstractHookableCmdHandler<SenderHook> {
    private static final int MAX_ENVID = 100; // RFC 3461 4.4

    private final ListenerContext context;

    MailCommand(MetricFactory metrics, ListenerContext context) {
        super(metrics);
        this.context = context;
    }

    @Override
    public Collection<String> getImplCommands() {
        return Set.of("MAIL");
    }

    @Override
    protected Response doFilterChecks(SMTPSession session, String command, String argument) {
        if (session.getAttachment(SessionKeys.MAIL, State.Transaction).isPresent()) {
            return Replies.NESTED_MAIL;
        }
        if (SessionKeys.heloName(session).isEmpty()) {
            return Replies.NEED_HELO;
        }
        if (argument == null || !argument.regionMatches(true, 0, "FROM:", 0, 5)) {
            return Replies.MAIL_SYNTAX;
        }
        PathParser.Parsed parsed;
        try {
            // Some clients put a space after the colon; tolerate it, nothing more.
            parsed = PathParser.parse(argument.substring(5).stripLeading(), true, true);
        } catch (SyntaxException e) {
            return Replies.reply(501, "5.1.7", "Bad sender address syntax: " + e.getMessage());
        }
        MailRequest request;
        try {
            request = parameters(session, parsed);
        } catch (ParameterException e) {
            return e.reply;
        } catch (SyntaxException e) {
            return Replies.reply(501, "5.5.4", e.getMessage());
        }
        if (parsed.mailbox().map(Mailbox::needsSmtpUtf8).orElse(false) && !request.smtpUtf8()) {
            return Replies.reply(553, "5.6.7", "Non-ASCII sender address needs the SMTPUTF8 parameter");
        }
        long needed = context.queueSettings().minFreeSpace() + request.declaredSize().orElse(0);
        if (!context.storageHasRoom(needed)) {
            return Replies.NO_STORAGE;
        }
        session.setAttachment(SessionKeys.MAIL, request, State.Transaction);
        return null;
    }

    private MailRequest parameters(SMTPSession session, PathParser.Parsed parsed) throws SyntaxException, ParameterException {
        EsmtpParameters params = EsmtpParameters.parse(parsed.rest());
        boolean extended = SessionKeys.extended(session);
        if (!extended && !params.keywords().isEmpty()) {
            throw new ParameterException(Replies.reply(555, "5.5.4", "MAIL parameters need EHLO, not HELO"));
        }
        for (String keyword : params.keywords()) {
            if (!Set.of("SIZE", "BODY", "SMTPUTF8", "RET", "ENVID", "AUTH", "REQUIRETLS").contains(keyword)) {
                throw new ParameterException(Replies.reply(555, "5.5.4", "Unsupported MAIL parameter " + keyword));
            }
        }
        OptionalLong size = OptionalLong.empty();
        Optional<String> sizeText = params.value("SIZE");
        if (sizeText.isPresent()) {
            if (!sizeText.get().matches("[0-9]{1,20}")) {
                throw new SyntaxException("SIZE must be a number of octets");
            }
            long declared = parseSize(sizeText.get());
            if (declared > context.smtp().maxMessageSize()) {
                throw new ParameterException(Replies.reply(552, "5.3.4",
                        "Message size exceeds fixed maximum message size of " + context.smtp().maxMessageSize() + " octets"));
            }
            size = OptionalLong.of(declared);
        }
        Envelope.BodyType body = Envelope.BodyType.SEVEN_BIT;
        Optional<String> bodyText = params.value("BODY");
        if (bodyText.isPresent()) {
            switch (bodyText.get().toUpperCase(Locale.ROOT)) {
                case "7BIT" -> body = Envelope.BodyType.SEVEN_BIT;
                case "8BITMIME" -> body = Envelope.BodyType.EIGHT_BIT_MIME;
                case "BINARYMIME" -> throw new ParameterException(
                        Replies.reply(555, "5.5.4", "BODY=BINARYMIME needs CHUNKING, which is not offered"));
                default -> throw new SyntaxException("BODY must be 7BIT or 8BITMIME");
            }
        }
        boolean smtpUtf8 = params.flag("SMTPUTF8");
        Optional<Envelope.DsnReturn> ret = Optional.empty();
        Optional<String> retText = params.value("RET");
        if (retText.isPresent()) {
            switch (retText.get().toUpperCase(Locale.ROOT)) {
                case "FULL" -> ret = Optional.of(Envelope.DsnReturn.FULL);
                case "HDRS" -> ret = Optional.of(Envelope.DsnReturn.HDRS);
                default -> throw new SyntaxException("RET must be FULL or HDRS");
            }
        }
        Optional<String> envid = Optional.empty();
        Optional<String> envidText = params.value("ENVID");
        if (envidText.isPresent()) {
            if (envidText.get().length() > MAX_ENVID) {
                throw new SyntaxException("ENVID is longer than " + MAX_ENVID + " characters");
            }
            envid = Optional.of(Xtext.decode(envidText.get()));
        }
        // AUTH=<mailbox> (RFC 4954 5) is accepted and not used: the relay records who authenticated itself.
        params.value("AUTH");
        boolean requireTls = params.flag("REQUIRETLS");
        if (requireTls) {
            if (!session.isTLSStarted()) {
                // RFC 8689 4: REQUIRETLS is offered, and honoured, only over TLS.
                throw new ParameterException(Replies.reply(530, "5.7.10", "REQUIRETLS needs a TLS session: say STARTTLS first"));
            }
        }
        return new MailRequest(parsed.mailbox().map(Mailbox::address).orElse(""), body, smtpUtf8, ret, envid, size, requireTls);
    }

    private static long parseSize(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    protected Response doCoreCmd(SMTPSession session, String command, String argument) {
        String sender = session.getAttachment(SessionKeys.MAIL, State.Transaction).map(MailRequest::sender).orElse("");
        return Replies.reply(250, "2.1.0", "Sender <" + sender + "> OK");
    }

    @Override
    public Response onCommand(SMTPSession session, org.apache.james.protocols.api.Request request) {
        Response response = super.onCommand(session, request);
        if (!response.getRetCode().equals("250")) {
            session.removeAttachment(SessionKeys.MAIL, State.Transaction);
        }
        return response;
    }

    @Override
    protected Class<SenderHook> getHookInterface() {
        return SenderHook.class;
    }

    @Override
    protected HookResult callHook(SenderHook hook, SMTPSession session, String argument) {
        return hook.onSender(session, session.getAttachment(SessionKeys.MAIL, State.Transaction).orElseThrow());
    }

    /** A parameter problem that has its own reply code (552, 555) rather than 501. */
    private static final class ParameterException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Response reply;

        ParameterException(Response reply) {
            super(null, null, false, false);
            this.reply = reply;
        }
    }
}
