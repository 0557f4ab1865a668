package dev.mta.server.smtp;

import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.apache.james.protocols.smtp.SMTPSession;

/**
 * Who is submitting, as recorded in the trace header, the queue and the log.
 *
 * @param tls e.g. "TLSv1.3 with cipher TLS_AES_128_GCM_SHA256" when the session is encrypted
 */
record ClientIdentity(String heloName, String address, boolean extended, Optional<String> tls, Optional<String> user) {

    static ClientIdentity of(SMTPSession session) {
        return new ClientIdentity(
                SessionKeys.heloName(session).orElse(""),
                session.getRemoteAddress().getAddress().getHostAddress(),
                SessionKeys.extended(session),
                session.getSSLSession().map(ClientIdentity::describe),
                Optional.ofNullable(session.getUsername()).map(u -> u.asString()));
    }

    private static String describe(SSLSession ssl) {
        return ssl.getProtocol() + " with cipher " + ssl.getCipherSuite();
    }
}
