package dev.mta.server.smtp;

import java.util.List;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.esmtp.EhloCmdHandler;
import org.apache.james.protocols.smtp.core.esmtp.EhloExtension;

/**
 * EHLO (RFC 5321 4.1.1.1) as James does it (greeting hooks, keywords from every extension), with
 * a well-formed first line: "250-name Hello client [address]".
 */
final class EhloCommand extends EhloCmdHandler {
    private List<EhloExtension> extensions = List.of();

    EhloCommand(MetricFactory metrics) {
        super(metrics);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void wireExtensions(Class<?> interfaceName, List<?> extension) {
        super.wireExtensions(interfaceName, extension);
        if (EhloExtension.class.equals(interfaceName)) {
            extensions = List.copyOf((List<EhloExtension>) extension);
        }
    }

    @Override
    protected Response doCoreCmd(SMTPSession session, String command, String parameters) {
        session.setAttachment(SMTPSession.CURRENT_HELO_MODE, "EHLO", State.Connection);
        SMTPResponse reply = new SMTPResponse("250", session.getConfiguration().getHelloName() + " Hello "
                + parameters + " [" + session.getRemoteAddress().getAddress().getHostAddress() + "]");
        for (EhloExtension extension : extensions) {
            List<String> keywords = extension.getImplementedEsmtpFeatures(session);
            if (keywords != null) {
                keywords.forEach(reply::appendLine);
            }
        }
        return reply;
    }
}
