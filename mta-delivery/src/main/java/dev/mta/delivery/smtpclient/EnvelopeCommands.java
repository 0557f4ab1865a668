package dev.mta.delivery.smtpclient;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * MAIL FROM and RCPT TO with the parameters the server announced it understands; a parameter
 * for an extension the server lacks is left out (RFC 5321 4.1.1.11 would refuse it).
 */
final class EnvelopeCommands {
    // RFC 3461 4.1: NOTIFY values in a fixed order for stable commands.
    private static final List<String> NOTIFY_ORDER = List.of("SUCCESS", "FAILURE", "DELAY");

    private EnvelopeCommands() {
    }

    static SmtpCommand mailFrom(OutboundMessage message, ServerExtensions server) {
        StringBuilder line = new StringBuilder("MAIL FROM:<").append(message.sender()).append('>');
        if (server.size()) {
            // RFC 1870 6: the size estimate, whenever the server announced SIZE.
            line.append(" SIZE=").append(message.size());
        }
        if (message.eightBit() && server.eightBitMime()) {
            line.append(" BODY=8BITMIME"); // RFC 6152 2
        }
        if (message.smtpUtf8() && server.smtpUtf8()) {
            line.append(" SMTPUTF8"); // RFC 6531 3.4
        }
        if (message.requireTls()) {
            line.append(" REQUIRETLS"); // RFC 8689 4.2.1: passed on with the message
        }
        if (server.dsn()) {
            // RFC 3461 4.3, 4.4; without DSN at the server they are left out (RFC 3461 5.2).
            message.dsnRet().ifPresent(ret -> line.append(" RET=").append(ret.toUpperCase(Locale.ROOT)));
            message.dsnEnvid().ifPresent(envid -> line.append(" ENVID=").append(Xtext.encode(envid)));
        }
        return SmtpCommand.of(line.toString());
    }

    static SmtpCommand rcptTo(OutboundRecipient recipient, ServerExtensions server) {
        StringBuilder line = new StringBuilder("RCPT TO:<").append(recipient.address()).append('>');
        if (server.dsn()) {
            notifyValue(recipient.dsnNotify()).ifPresent(notify -> line.append(" NOTIFY=").append(notify));
            recipient.orcpt().ifPresent(orcpt -> line.append(" ORCPT=").append(orcpt(orcpt)));
        }
        return SmtpCommand.of(line.toString());
    }

    /** RFC 3461 4.1: NEVER alone, or a comma list of the rest. */
    private static Optional<String> notifyValue(Set<String> values) {
        if (values.isEmpty()) {
            return Optional.empty();
        }
        Set<String> upper = values.stream().map(v -> v.toUpperCase(Locale.ROOT))
                .collect(java.util.stream.Collectors.toSet());
        if (upper.contains("NEVER")) {
            return Optional.of("NEVER");
        }
        List<String> ordered = NOTIFY_ORDER.stream().filter(upper::contains).toList();
        return ordered.isEmpty() ? Optional.empty() : Optional.of(String.join(",", ordered));
    }

    /** RFC 3461 4.2: addr-type ";" xtext(address); the type is an atom and stays as it is. */
    private static String orcpt(String decoded) {
        int semicolon = decoded.indexOf(';');
        return decoded.substring(0, semicolon) + ";" + Xtext.encode(decoded.substring(semicolon + 1));
    }
}
