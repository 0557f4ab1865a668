package dev.mta.delivery.dsn;

import java.util.ArrayList;
import java.util.List;

/**
 * The body of the message/delivery-status (or message/global-delivery-status) part: the
 * per-message fields, then one group of per-recipient fields for each recipient, groups separated
 * by an empty line, every field in the order of the RFC 3464 2.2 and 2.3 grammar.
 */
final class DeliveryStatusFields {

    /** RFC 3464 2.4 extension field ("X-" private) naming the message in the relay's queue and log. */
    static final String QUEUE_ID_FIELD = "X-Mta-Queue-ID";

    private DeliveryStatusFields() {
    }

    /** @param global UTF-8 allowed (RFC 6533 4); otherwise every field is ASCII */
    static String render(DsnReport report, boolean global) {
        StringBuilder out = new StringBuilder();
        // RFC 3464 2.2: [original-envelope-id] reporting-mta [dsn-gateway] [received-from-mta]
        // [arrival-date] *extension-field
        report.envelopeId().map(id -> FieldText.clean(id, global)).filter(id -> !id.isEmpty())
                .ifPresent(id -> out.append(Folding.field("Original-Envelope-Id", id)));
        out.append(Folding.field("Reporting-MTA", "dns; " + report.reportingMta()));
        out.append(Folding.field("Arrival-Date", MailDate.format(report.arrivalDate())));
        String queueId = FieldText.clean(report.queueId(), false);
        if (!queueId.isEmpty()) {
            out.append(Folding.field(QUEUE_ID_FIELD, queueId));
        }
        for (DsnRecipient recipient : report.recipients()) {
            out.append("\r\n");
            recipientFields(recipient, global, out);
        }
        return out.toString();
    }

    // RFC 3464 2.3: [original-recipient] final-recipient action status [remote-mta]
    // [diagnostic-code] [last-attempt-date] [final-log-id] [will-retry-until] *extension-field
    private static void recipientFields(DsnRecipient recipient, boolean global, StringBuilder out) {
        recipient.originalRecipient().ifPresent(
                orcpt -> out.append(Folding.field("Original-Recipient", TypedAddress.original(orcpt, global))));
        out.append(Folding.field("Final-Recipient", TypedAddress.of(recipient.finalRecipient(), global)));
        out.append(Folding.field("Action", recipient.action().keyword()));
        out.append(Folding.field("Status", recipient.status()));
        recipient.remoteMta().map(host -> FieldText.hostName(host, global))
                .filter(host -> !host.isEmpty())
                .ifPresent(host -> out.append(Folding.field("Remote-MTA", "dns; " + host)));
        recipient.diagnostic().ifPresent(diagnostic -> {
            List<String> lines = FieldText.lines(diagnostic.text(), global);
            if (!lines.isEmpty()) {
                // RFC 3464 2.3.6: diagnostic-type ";" *text; each reply line on a continuation line.
                List<String> value = new ArrayList<>(lines);
                value.set(0, diagnostic.type() + "; " + lines.get(0));
                out.append(Folding.field("Diagnostic-Code", value));
            }
        });
        recipient.lastAttempt().ifPresent(at -> out.append(Folding.field("Last-Attempt-Date", MailDate.format(at))));
        recipient.willRetryUntil().ifPresent(at -> out.append(Folding.field("Will-Retry-Until", MailDate.format(at))));
    }
}
