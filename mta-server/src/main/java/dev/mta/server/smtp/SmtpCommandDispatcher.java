package dev.mta.server.smtp;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.james.protocols.api.BaseRequest;
import org.apache.james.protocols.api.ProtocolSession.AttachmentKey;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandDispatcher;
import org.apache.james.protocols.smtp.SMTPSession;

/**
 * Turns a command line into a request, strictly: a line longer than the framer's limit gets one
 * 500 5.5.2 and is skipped to its end; NUL or a bare CR in a command, or bytes that are not UTF-8
 * (RFC 6531 allows UTF-8 only in MAIL and RCPT paths, which their parsers check), get 500 5.5.2.
 * A bare LF ending a command is accepted, as Postfix's "normalize" does.
 */
final class SmtpCommandDispatcher extends CommandDispatcher<SMTPSession> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SmtpCommandDispatcher.class);
    private static final AttachmentKey<Boolean> SKIPPING_LONG_LINE = AttachmentKey.of("mta.skipLongLine", Boolean.class);
    // Commands counted under their own name in the rejection metrics; anything else is OTHER.
    private static final java.util.Set<String> VERBS = java.util.Set.of("HELO", "EHLO", "MAIL", "RCPT", "DATA", "BDAT",
            "RSET", "NOOP", "QUIT", "VRFY", "EXPN", "HELP", "AUTH", "STARTTLS");

    private final ListenerContext context;

    SmtpCommandDispatcher(ListenerContext context) {
        this.context = context;
    }

    private static final AttachmentKey<Integer> ERRORS = AttachmentKey.of("mta.errors", Integer.class);
    private static final AttachmentKey<Integer> JUNK = AttachmentKey.of("mta.junkCommands", Integer.class);
    // Commands that move no mail; a client may send any number of them otherwise (RFC 5321 4.1.4
    // lets NOOP and RSET come at any time), so they are counted between two MAIL commands.
    private static final java.util.Set<String> JUNK_VERBS = java.util.Set.of("NOOP", "RSET", "VRFY", "EXPN", "HELP");

    @Override
    public Response onLine(SMTPSession session, byte[] line) {
        String verb = verb(line);
        Response response = answer(session, line);
        context.metrics().replied(verb, response);
        if (JUNK_VERBS.contains(verb)) {
            int junk = session.getAttachment(JUNK, State.Connection).orElse(0) + 1;
            session.setAttachment(JUNK, junk, State.Connection);
            if (junk > context.smtp().limits().maxJunkCommands() && (response == null || !response.isEndSession())) {
                LOG.info("too many junk commands from {}: {} since the last MAIL, disconnected",
                        session.getRemoteAddress().getAddress().getHostAddress(), junk);
                return Replies.tooManyJunkCommands(context.hostname());
            }
        } else if ("MAIL".equals(verb) && response != null && !isError(response)) {
            session.removeAttachment(JUNK, State.Connection);
        }
        if (isError(response)) {
            int errors = session.getAttachment(ERRORS, State.Connection).orElse(0) + 1;
            session.setAttachment(ERRORS, errors, State.Connection);
            if (errors >= context.smtp().limits().maxErrors() && !response.isEndSession()) {
                // Postfix's smtpd_hard_error_limit: a client that keeps failing is probing or broken.
                LOG.info("too many errors from {}: {} in this session, disconnected",
                        session.getRemoteAddress().getAddress().getHostAddress(), errors);
                return Replies.tooManyErrors(context.hostname());
            }
        }
        return response;
    }

    private static boolean isError(Response response) {
        return response != null && response.getRetCode() != null && !response.getRetCode().isEmpty()
                && (response.getRetCode().charAt(0) == '4' || response.getRetCode().charAt(0) == '5');
    }

    private static String verb(byte[] line) {
        int end = 0;
        while (end < line.length && end < 10 && line[end] > ' ') {
            end++;
        }
        String word = new String(line, 0, end, StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
        return VERBS.contains(word) ? word : "OTHER";
    }

    private Response answer(SMTPSession session, byte[] line) {
        boolean complete = line.length > 0 && line[line.length - 1] == '\n';
        if (session.getAttachment(SKIPPING_LONG_LINE, State.Connection).orElse(false)) {
            if (complete) {
                session.removeAttachment(SKIPPING_LONG_LINE, State.Connection);
            }
            return null;
        }
        if (!complete) {
            session.setAttachment(SKIPPING_LONG_LINE, true, State.Connection);
            return Replies.LINE_TOO_LONG;
        }
        int end = line.length - 1;
        if (end > 0 && line[end - 1] == '\r') {
            end--;
        }
        for (int i = 0; i < end; i++) {
            if (line[i] == 0 || line[i] == '\r') {
                return Replies.BAD_COMMAND_BYTES;
            }
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line, 0, end)).toString();
        } catch (CharacterCodingException e) {
            return Replies.BAD_COMMAND_BYTES;
        }
        String trimmed = text.strip();
        int space = trimmed.indexOf(' ');
        String command = (space < 0 ? trimmed : trimmed.substring(0, space)).toUpperCase(Locale.ROOT);
        String argument = space < 0 ? null : trimmed.substring(space + 1);
        if (command.isEmpty()) {
            return Replies.UNKNOWN_COMMAND;
        }
        if (context.draining() && !command.equals("QUIT")
                && session.getAttachment(SessionKeys.MAIL, State.Transaction).isEmpty()) {
            // RFC 5321 3.8: stopping; a transaction under way may finish, no new one starts.
            return Replies.shuttingDown(context.hostname());
        }
        try {
            return dispatchCommandHandlers(session, new BaseRequest(command, argument));
        } catch (RuntimeException e) {
            // A bug must cost one command, not the session or the server.
            LOG.error("command {} failed for {}", command, session.getRemoteAddress().getAddress().getHostAddress(), e);
            return Replies.STORE_FAILED;
        }
    }
}
