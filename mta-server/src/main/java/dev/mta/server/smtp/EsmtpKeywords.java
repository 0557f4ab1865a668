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
    private final List<String> keywords;

    EsmtpKeywords(long maxMessageSize) {
        this.keywords = List.of("SIZE " + maxMessageSize, "SMTPUTF8", "DSN");
    }

    @Override
    public List<String> getImplementedEsmtpFeatures(SMTPSession session) {
        if (session.isTLSStarted()) {
            List<String> withRequireTls = new java.util.ArrayList<>(keywords);
            withRequireTls.add("REQUIRETLS");
            return withRequireTls;
        }
        return keywords;
    }
}
