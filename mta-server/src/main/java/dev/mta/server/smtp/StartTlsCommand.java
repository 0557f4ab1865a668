package dev.mta.server.smtp;

import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.StartTlsResponse;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.esmtp.StartTlsCmdHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * STARTTLS (RFC 3207) on top of James' handler, with two guards it lacks. Plaintext that a man in
 * the middle pipelined behind STARTTLS is dropped rather than run as if it came over TLS
 * (CVE-2011-0411 class): lines that reach the session before the handshake has completed cannot
 * have come through it. And the client's greeting is forgotten, so it must EHLO again
 * (RFC 3207 4.2).
 */
final class StartTlsCommand extends StartTlsCmdHandler {
    private static final Logger LOG = LoggerFactory.getLogger(StartTlsCommand.class);

    private final SmtpCommandDispatcher dispatcher;

    StartTlsCommand(SmtpCommandDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public Response onCommand(SMTPSession session, Request request) {
        Response response = super.onCommand(session, request);
        if (response instanceof StartTlsResponse) {
            session.removeAttachment(SMTPSession.CURRENT_HELO_MODE, State.Connection);
            session.removeAttachment(SMTPSession.CURRENT_HELO_NAME, State.Connection);
            session.pushLineHandler(new PlaintextGuard(dispatcher));
        }
        return response;
    }

    private record PlaintextGuard(SmtpCommandDispatcher dispatcher) implements LineHandler<SMTPSession> {
        @Override
        public Response onLine(SMTPSession session, byte[] line) {
            if (!handshakeComplete(session)) {
                LOG.warn("dropped {} bytes sent in clear after STARTTLS by {}", line.length,
                        session.getRemoteAddress().getAddress().getHostAddress());
                return null;
            }
            session.popLineHandler();
            // This line came through TLS: hand it to the normal command handling.
            return dispatcher.onLine(session, line);
        }

        private static boolean handshakeComplete(SMTPSession session) {
            // JSSE reports the null cipher suite until the first handshake has finished.
            return session.getSSLSession().map(s -> !"SSL_NULL_WITH_NULL_NULL".equals(s.getCipherSuite())).orElse(false);
        }
    }
}
