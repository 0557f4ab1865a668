package dev.mta.delivery.dsn;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The human-readable first part of the report (RFC 6522 3, RFC 3464 3): what happened, then each
 * recipient with the reason, grouped by action, failures first. Lines are wrapped near 76
 * characters; remote reply lines are shown one per line, indented, as the server sent them.
 */
final class Notice {

    private static final int WIDTH = 76;
    private static final String INDENT = "    ";

    private Notice() {
    }

    /**
     * @param utf8     whether the text may hold UTF-8 (an international DSN); otherwise it is ASCII
     * @param returned what the third part carries
     * @param cutToHeaders the sender asked for the whole message but it was over the size limit
     */
    static String render(DsnReport report, boolean utf8, ReturnContent returned, boolean cutToHeaders) {
        List<String> lines = new ArrayList<>();
        lines.add("This is the mail system at host " + report.reportingMta() + ".");
        lines.add("");
        for (DsnAction action : DsnAction.values()) {
            List<DsnRecipient> group = report.recipients().stream().filter(r -> r.action() == action).toList();
            if (group.isEmpty()) {
                continue;
            }
            lines.addAll(Folding.wrap(introduction(action), "", WIDTH));
            lines.add("");
            for (DsnRecipient recipient : group) {
                recipientLines(recipient, utf8, lines);
                lines.add("");
            }
        }
        String queueId = FieldText.clean(report.queueId(), false);
        if (!queueId.isEmpty()) {
            lines.add("The mail system knows your message as " + queueId + ".");
        }
        lines.addAll(Folding.wrap(attachment(returned, cutToHeaders), "", WIDTH));
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line).append("\r\n");
        }
        return out.toString();
    }

    private static String introduction(DsnAction action) {
        return switch (action) {
            case FAILED -> "Your message could not be delivered to the recipients below. The mail system"
                    + " has given up on them; the reason follows each address.";
            case DELAYED -> "Your message has not been delivered yet to the recipients below. The mail"
                    + " system keeps trying; you do not need to send it again.";
            case DELIVERED -> "Your message was delivered to the recipients below.";
            case RELAYED -> "Your message was passed on for the recipients below to a mail system that"
                    + " does not report delivery, so no further report will come for them.";
        };
    }

    private static void recipientLines(DsnRecipient recipient, boolean utf8, List<String> lines) {
        StringBuilder head = new StringBuilder("<").append(TypedAddress.display(recipient.finalRecipient(), utf8))
                .append('>');
        recipient.originalRecipient().map(Notice::originalAddress)
                .map(original -> TypedAddress.display(original, utf8))
                .filter(original -> !original.equalsIgnoreCase(TypedAddress.display(recipient.finalRecipient(), utf8)))
                .ifPresent(original -> head.append(" (originally <").append(original).append(">)"));
        head.append(':');
        Optional<DsnDiagnostic> diagnostic = recipient.diagnostic();
        Optional<String> host = recipient.remoteMta().map(h -> FieldText.hostName(h, utf8))
                .filter(h -> !h.isEmpty());
        List<String> reason = diagnostic.map(d -> FieldText.lines(d.text(), utf8)).orElse(List.of());
        if (host.isPresent() && diagnostic.orElse(null) instanceof DsnDiagnostic.SmtpReply && !reason.isEmpty()) {
            lines.addAll(Folding.wrap(head + " host " + host.get() + " said:", "", WIDTH));
            for (String line : reason) {
                lines.addAll(Folding.wrap(line, INDENT, WIDTH));
            }
        } else if (!reason.isEmpty()) {
            lines.addAll(Folding.wrap(head + " " + String.join(" ", reason)
                    + host.map(h -> " (while talking to " + h + ")").orElse(""), "", WIDTH));
        } else {
            lines.addAll(Folding.wrap(head + " status " + recipient.status(), "", WIDTH));
        }
        recipient.willRetryUntil().ifPresent(until ->
                lines.addAll(Folding.wrap("The mail system will keep trying until " + MailDate.format(until) + ".",
                        INDENT, WIDTH)));
    }

    /** The address of an ORCPT, its \x{HEX} escapes decoded for display. */
    private static String originalAddress(String orcpt) {
        return TypedAddress.decodeEmbedded(orcpt.substring(orcpt.indexOf(';') + 1).trim());
    }

    private static String attachment(ReturnContent returned, boolean cutToHeaders) {
        if (cutToHeaders) {
            return "Your message was too large to return in full; its header section is attached.";
        }
        return returned == ReturnContent.FULL
                ? "Your message is attached."
                : "The header section of your message is attached.";
    }
}
