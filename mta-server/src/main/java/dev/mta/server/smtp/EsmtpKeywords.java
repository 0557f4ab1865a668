package dev.mta.server.smtp;

import java.util.List;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.esmtp.EhloExtension;

/**
 * EHLO keywords the relay adds to James' own (PIPELINING, ENHANCEDSTATUSCODES, 8BITMIME):
 * SIZE (RFC 1870), SMTPUTF8 (RFC 6531), DSN (RFC 3461), and REQUIRETLS (RFC 8689 4) once the
 * session is encrypted: a requirement of TLS can only be taken on over TLS.
 */
final class EsmtpKeywords implements EhloExtension, org.apache.james.protocols.api.handler.ProtocolHandler {
    private final ListenerContext context;

    EsmtpKeywords(ListenerContext context) {
        this.context = context;
    }

    @Override
    public List<String> getImplementedEsmtpFeatures(SMTPSession session) {
        // Built per EHLO: SIZE follows the setting a reload may have changed.
        List<String> keywords = new java.util.ArrayList<>(List.of("SIZE " + context.smtp().maxMessageSize(), "SMTPUTF8", "DSN"));
        if (session.isTLSStarted()) {
            keywords.add("REQUIRETLS");
        }
        return keywords;
    }
}
