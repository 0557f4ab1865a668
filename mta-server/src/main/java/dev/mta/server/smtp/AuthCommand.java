package dev.mta.server.smtp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.james.core.Username;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.esmtp.EhloExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AUTH PLAIN (RFC 4616) and LOGIN, per RFC 4954, offered and accepted only under TLS so that
 * passwords never cross the network in clear. Written here rather than taken from James because
 * the relay needs "*" cancellation, exact PLAIN field handling (no proxy authorization) and clean
 * replies to malformed base64.
 */
final class AuthCommand implements CommandHandler<SMTPSession>, EhloExtension {
    private static final Logger LOG = LoggerFactory.getLogger(AuthCommand.class);
    private static final Response NOT_OFFERED = Replies.reply(502, "5.5.1", "AUTH is not available").immutable();
    private static final Response NEEDS_TLS = Replies.reply(538, "5.7.11", "Encryption required for requested authentication mechanism").immutable();
    private static final Response ALREADY = Replies.reply(503, "5.5.1", "Already authenticated").immutable();
    private static final Response IN_TRANSACTION = Replies.reply(503, "5.5.1", "AUTH is not allowed during a mail transaction").immutable();
    private static final Response SYNTAX = Replies.reply(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]").immutable();
    private static final Response UNKNOWN_MECHANISM = Replies.reply(504, "5.5.4", "Unrecognized authentication mechanism").immutable();
    private static final Response CANCELLED = Replies.reply(501, "5.0.0", "Authentication cancelled").immutable();
    private static final Response BAD_BASE64 = Replies.reply(501, "5.5.2", "Cannot decode base64 response").immutable();
    private static final Response FAILED = Replies.reply(535, "5.7.8", "Authentication credentials invalid").immutable();
    private static final Response SUCCEEDED = Replies.reply(235, "2.7.0", "Authentication successful").immutable();

    private final ListenerContext context;

    AuthCommand(ListenerContext context) {
        this.context = context;
    }

    @Override
    public Collection<String> getImplCommands() {
        return Set.of("AUTH");
    }

    @Override
    public List<String> getImplementedEsmtpFeatures(SMTPSession session) {
        if (context.authenticator().isPresent() && session.isTLSStarted() && session.getUsername() == null) {
            return List.of("AUTH PLAIN LOGIN");
        }
        return List.of();
    }

    @Override
    public Response onCommand(SMTPSession session, Request request) {
        if (context.authenticator().isEmpty()) {
            return NOT_OFFERED;
        }
        if (!session.isTLSStarted()) {
            return NEEDS_TLS;
        }
        if (session.getUsername() != null) {
            return ALREADY;
        }
        java.net.InetAddress client = session.getRemoteAddress().getAddress();
        if (context.authThrottle().refused(client, context.smtp().limits().maxAuthFailures())) {
            LOG.warn("auth refused client={}: too many failures in the last {} minutes", client.getHostAddress(),
                    AuthThrottle.WINDOW.toMinutes());
            return Replies.tooManyAuthFailures(context.hostname());
        }
        if (session.getAttachment(SessionKeys.MAIL, State.Transaction).isPresent()) {
            return IN_TRANSACTION;
        }
        String argument = request.getArgument();
        if (argument == null || argument.isBlank()) {
            return SYNTAX;
        }
        String[] parts = argument.trim().split(" +");
        if (parts.length > 2) {
            return SYNTAX;
        }
        String mechanism = parts[0].toUpperCase(Locale.ROOT);
        String initial = parts.length == 2 ? parts[1] : null;
        return switch (mechanism) {
            case "PLAIN" -> initial == null ? challenge(session, "", this::plain) : plain(session, initial);
            case "LOGIN" -> initial == null
                    ? challenge(session, "VXNlcm5hbWU6", this::loginUser) // "Username:"
                    : loginUser(session, initial);
            default -> UNKNOWN_MECHANISM;
        };
    }

    private interface Step {
        Response next(SMTPSession session, String response);
    }

    /** Sends a 334 challenge and reads the client's answer as the next line (RFC 4954 4). */
    private Response challenge(SMTPSession session, String text, Step step) {
        session.pushLineHandler((LineHandler<SMTPSession>) (s, line) -> {
            s.popLineHandler();
            String answer = new String(line, StandardCharsets.US_ASCII).strip();
            if (answer.equals("*")) {
                return CANCELLED;
            }
            return step.next(s, answer);
        });
        return new SMTPResponse("334", text);
    }

    private Response plain(SMTPSession session, String response) {
        byte[] decoded = decode(response);
        if (decoded == null) {
            return BAD_BASE64;
        }
        // message = [authzid] NUL authcid NUL passwd (RFC 4616 2)
        int first = indexOf(decoded, 0);
        int second = first < 0 ? -1 : indexOf(decoded, first + 1);
        if (first < 0 || second < 0 || indexOf(decoded, second + 1) >= 0) {
            Arrays.fill(decoded, (byte) 0);
            return Replies.reply(501, "5.5.2", "Malformed PLAIN response");
        }
        String authzid = new String(decoded, 0, first, StandardCharsets.UTF_8);
        String user = new String(decoded, first + 1, second - first - 1, StandardCharsets.UTF_8);
        char[] password = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(decoded, second + 1, decoded.length - second - 1)).array();
        Arrays.fill(decoded, (byte) 0);
        if (!authzid.isEmpty() && !authzid.equals(user)) {
            // No proxy authorization: one user may not act as another.
            return failed(session, user, password);
        }
        return check(session, user, password);
    }

    private Response loginUser(SMTPSession session, String response) {
        byte[] decoded = decode(response);
        if (decoded == null) {
            return BAD_BASE64;
        }
        String user = new String(decoded, StandardCharsets.UTF_8);
        return challenge(session, "UGFzc3dvcmQ6", (s, answer) -> { // "Password:"
            byte[] password = decode(answer);
            if (password == null) {
                return BAD_BASE64;
            }
            char[] chars = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(password)).array();
            Arrays.fill(password, (byte) 0);
            return check(s, user, chars);
        });
    }

    private Response check(SMTPSession session, String user, char[] password) {
        boolean ok = !user.isEmpty() && context.authenticator().orElseThrow().authenticate(user, password);
        if (!ok) {
            return failed(session, user, password);
        }
        Arrays.fill(password, '\0');
        context.authThrottle().succeeded(session.getRemoteAddress().getAddress());
        session.setUsername(Username.of(user));
        LOG.info("auth ok user={} client={}", user, session.getRemoteAddress().getAddress().getHostAddress());
        return SUCCEEDED;
    }

    private Response failed(SMTPSession session, String user, char[] password) {
        Arrays.fill(password, '\0');
        java.time.Duration pause = context.authThrottle().failed(session.getRemoteAddress().getAddress());
        LOG.warn("auth failed user={} client={}; next command read in {}s", printable(user),
                session.getRemoteAddress().getAddress().getHostAddress(), pause.toSeconds());
        // The reply goes out now; the client's next command waits (no thread waits with it).
        context.pauseReading(session.getRemoteAddress(), pause);
        return FAILED;
    }

    private static byte[] decode(String base64) {
        if (base64.equals("=")) {
            return new byte[0]; // RFC 4954 4: "=" is an empty initial response
        }
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String printable(String text) {
        return text.codePoints().limit(64).collect(StringBuilder::new,
                (b, c) -> b.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c), StringBuilder::append).toString();
    }
}
