package dev.mta.security.tlsrpt;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Writes a report as an email (RFC 8460 5.3): a multipart/report with report-type "tlsrpt", a
 * short text part and the gzipped JSON as an application/tlsrpt+gzip attachment named as in
 * RFC 8460 5.1, with the Subject, TLS-Report-Domain and TLS-Report-Submitter fields the RFC asks for.
 * Pure: the caller queues the result.
 */
public final class TlsRptMail {

    private static final String CRLF = "\r\n";
    private static final DateTimeFormatter RFC_5322_DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    private TlsRptMail() {
    }

    /**
     * The report as a message to {@code recipients}, dated {@code now}.
     *
     * @param recipients the mailboxes of the record's mailto URIs ({@link TlsRptRecord#mailtoAddresses()})
     */
    public static ReportMessage compose(TlsRptReport report, List<String> recipients, Instant now) {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a mailed report needs a recipient");
        }
        String boundary = boundaryFor(report);
        String domain = report.key().policyDomain();
        StringBuilder message = new StringBuilder();
        header(message, "From", report.contactInfo());
        header(message, "To", String.join("," + CRLF + " ", recipients));
        // RFC 8460 5.3 tlsrpt-subject, folded at its FWS so the line stays short
        header(message, "Subject", "Report Domain: " + domain + CRLF + " Submitter: " + report.submitter()
                + CRLF + " Report-ID: <" + report.reportId() + ">");
        header(message, "Date", RFC_5322_DATE.format(now));
        header(message, "Message-ID", "<" + report.reportId() + ">");
        // RFC 8460 5.3: both fields MUST be present; the submitter matches the file name and contact-info domain
        header(message, "TLS-Report-Domain", domain);
        header(message, "TLS-Report-Submitter", report.submitter());
        // RFC 3834 5: an automatic message, not to be answered by autoresponders
        header(message, "Auto-Submitted", "auto-generated");
        // RFC 8460 5.3: reports MUST be delivered despite TLS failures towards the policy domain;
        // RFC 8689 5 is how the message asks for that
        header(message, "TLS-Required", "No");
        header(message, "MIME-Version", "1.0");
        header(message, "Content-Type", "multipart/report; report-type=\"tlsrpt\";" + CRLF
                + " boundary=\"" + boundary + "\"");
        message.append(CRLF);
        message.append("This is a multipart message in MIME format.").append(CRLF);
        message.append(CRLF).append("--").append(boundary).append(CRLF);
        header(message, "Content-Type", "text/plain; charset=\"us-ascii\"");
        header(message, "Content-Transfer-Encoding", "7bit");
        message.append(CRLF);
        message.append("This is an aggregate TLS report from ").append(report.submitter()).append(CRLF)
                .append("about ").append(domain).append(" for ").append(report.key().day()).append(" (UTC).")
                .append(CRLF);
        message.append(CRLF).append("--").append(boundary).append(CRLF);
        header(message, "Content-Type", TlsRptReport.GZIP_MEDIA_TYPE);
        header(message, "Content-Transfer-Encoding", "base64");
        header(message, "Content-Disposition", "attachment;" + CRLF + " filename=\"" + report.fileName() + "\"");
        message.append(CRLF);
        // MIME encoder: lines of 76 characters ending in CRLF (RFC 2045 6.8)
        message.append(Base64.getMimeEncoder().encodeToString(report.gzip())).append(CRLF);
        message.append(CRLF).append("--").append(boundary).append("--").append(CRLF);
        return new ReportMessage(report.contactInfo(), recipients,
                message.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static void header(StringBuilder message, String name, String value) {
        message.append(name).append(": ").append(value).append(CRLF);
    }

    // "=_" cannot occur in base64 or in the text part, so the boundary cannot either (RFC 2046 5.1.1).
    private static String boundaryFor(TlsRptReport report) {
        int hash = report.reportId().hashCode();
        return "=_tlsrpt_" + HexFormat.of().toHexDigits(hash);
    }
}
