package dev.mta.delivery.dsn;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Writes delivery status notifications: a multipart/report message (RFC 6522) of report-type
 * delivery-status (RFC 3464) with three parts in this order: a human-readable text/plain notice,
 * the machine-readable delivery-status fields, and the original message or its header section.
 *
 * <p>Decisions, each tested:
 * <ul>
 *   <li><b>What comes back.</b> A report with a failed recipient returns the whole message unless the
 *       sender asked for headers only (RET=HDRS); without RET the whole message comes back, as
 *       Postfix does (RFC 3461 4.3 leaves the default to the MTA). Delay and success reports return
 *       the header section only: RET=FULL asks for the message in "failed" DSNs (RFC 3461 4.3). A
 *       message larger than the limit given to the constructor comes back as headers only, and the
 *       notice says so.</li>
 *   <li><b>8-bit content.</b> The original is read once before anything is written, to learn whether
 *       the returned part holds 8-bit octets. If it does, the part is labelled
 *       Content-Transfer-Encoding: 8bit (message/rfc822 cannot be encoded otherwise, RFC 2046 5.2.1)
 *       and {@link ComposedDsn#eightBitMime()} tells the caller to queue the DSN with BODY=8BITMIME.
 *       A 7-bit original makes a 7-bit DSN.</li>
 *   <li><b>International originals</b> (SMTPUTF8, RFC 6531) get the RFC 6533 4 types:
 *       message/global-delivery-status, message/global or message/global-headers, UTF-8 addresses
 *       typed "utf-8", a UTF-8 notice; the DSN then needs SMTPUTF8 ({@link ComposedDsn#smtpUtf8()}).
 *       Otherwise every part the composer writes is ASCII: a non-ASCII address is written in the
 *       utf-8-addr-xtext form, any other non-ASCII character as '?'.</li>
 *   <li><b>Diagnostics.</b> A remote reply is "smtp; ..." with each reply line on a continuation line;
 *       the relay's own reason is "{@value DsnDiagnostic#LOCAL_DIAGNOSTIC_TYPE}; ..." (RFC 3464 2.3.6).
 *       Text from outside never brings a line break or control of its own ({@link FieldText}).</li>
 *   <li><b>Lines.</b> CRLF only; fields folded near 78 characters; no line over 998 octets, lines of
 *       the original included (longer ones are broken, header lines as folded continuations).</li>
 *   <li><b>Identity.</b> From is "Mail Delivery System &lt;fromAddress&gt;", Date is UTC, Message-ID and
 *       the MIME boundary come from the token source (random in production, fixed in tests), and
 *       Auto-Submitted: auto-replied keeps auto-responders from answering (RFC 3834 5).</li>
 * </ul>
 * The output is not dot-stuffed; the caller writes it to the queue as a new message.
 */
public final class DsnComposer {

    /** No size limit on a returned message. */
    public static final long NO_LIMIT = Long.MAX_VALUE;

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,59}");

    private final Supplier<String> tokens;
    private final long fullReturnLimit;

    /** @param tokens unique tokens for Message-ID and MIME boundary: letters, digits, '.', '_', '-' */
    public DsnComposer(Supplier<String> tokens) {
        this(tokens, NO_LIMIT);
    }

    /**
     * @param tokens          unique tokens for Message-ID and MIME boundary
     * @param fullReturnLimit the largest original, in octets, that is returned whole
     */
    public DsnComposer(Supplier<String> tokens, long fullReturnLimit) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        if (fullReturnLimit < 0) {
            throw new IllegalArgumentException("fullReturnLimit must not be negative");
        }
        this.fullReturnLimit = fullReturnLimit;
    }

    /** 128 random bits as 32 hex digits for each token. */
    public static Supplier<String> randomTokens() {
        SecureRandom random = new SecureRandom();
        return () -> {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        };
    }

    /**
     * Writes the whole DSN (header section and body, CRLF lines, not dot-stuffed) to {@code out}. The
     * original is opened twice and streamed; nothing of it is held in memory. Nothing is written when
     * the original cannot be opened the first time. {@code out} is flushed, not closed.
     */
    public ComposedDsn write(DsnReport report, OriginalMessage original, OutputStream out) throws IOException {
        boolean global = report.international();
        ReturnContent wanted = wantedReturn(report);
        ReturnedOriginal.Scan scan = ReturnedOriginal.scan(original, wanted == ReturnContent.HEADERS);
        ReturnContent returned = wanted == ReturnContent.FULL && scan.octets() > fullReturnLimit
                ? ReturnContent.HEADERS : wanted;
        boolean cutToHeaders = returned != wanted;

        String boundary = "=_" + token();
        String messageId = token() + "@" + report.reportingMta();
        String headers = headerSection(report, messageId, boundary);
        String notice = Notice.render(report, global, returned, cutToHeaders);
        String status = DeliveryStatusFields.render(report, global);
        boolean returnedEightBit = scan.eightBit(returned);

        OutputStream buffered = new BufferedOutputStream(out, 64 * 1024);
        write(buffered, headers);
        write(buffered, "\r\nThis is a MIME-encapsulated delivery status notification.\r\n");

        write(buffered, "\r\n--" + boundary + "\r\n");
        write(buffered, Folding.field("Content-Description", "Notification"));
        write(buffered, textHeaders("text/plain", notice));
        write(buffered, "\r\n" + notice);

        write(buffered, "\r\n--" + boundary + "\r\n");
        write(buffered, Folding.field("Content-Description", "Delivery report"));
        write(buffered, Folding.field("Content-Type", global ? "message/global-delivery-status" : "message/delivery-status"));
        write(buffered, eightBitLabel(!FieldText.isAscii(status)));
        write(buffered, "\r\n" + status);

        write(buffered, "\r\n--" + boundary + "\r\n");
        write(buffered, Folding.field("Content-Description", description(report.headline(), returned)));
        write(buffered, Folding.field("Content-Type", returnedType(returned, global)));
        write(buffered, eightBitLabel(returnedEightBit));
        write(buffered, "\r\n");
        ReturnedOriginal.copy(original, returned, buffered);

        write(buffered, "\r\n--" + boundary + "--\r\n");
        buffered.flush();

        boolean eightBit = returnedEightBit || !FieldText.isAscii(headers) || !FieldText.isAscii(notice)
                || !FieldText.isAscii(status);
        return new ComposedDsn(messageId, returned, eightBit, global);
    }

    /** RFC 3461 4.3; see the class comment. */
    private static ReturnContent wantedReturn(DsnReport report) {
        if (report.headline() != DsnAction.FAILED) {
            return ReturnContent.HEADERS;
        }
        return report.requestedReturn().orElse(ReturnContent.FULL);
    }

    private static String headerSection(DsnReport report, String messageId, String boundary) {
        boolean global = report.international();
        return Folding.field("From", "Mail Delivery System <" + FieldText.clean(report.fromAddress(), global) + ">")
                + Folding.field("To", FieldText.clean(report.sender(), global))
                + Folding.field("Subject", subject(report.headline()))
                + Folding.field("Date", MailDate.format(report.now()))
                + Folding.field("Message-ID", "<" + messageId + ">")
                + Folding.field("MIME-Version", "1.0")
                // RFC 3834 5: a DSN is an automatic response; auto-responders must not answer it.
                + Folding.field("Auto-Submitted", "auto-replied")
                + Folding.field("Content-Type",
                        "multipart/report; report-type=delivery-status; boundary=\"" + boundary + "\"");
    }

    private static String subject(DsnAction headline) {
        return switch (headline) {
            case FAILED -> "Undelivered Mail Returned to Sender";
            case DELAYED -> "Delayed Mail (still being retried)";
            case DELIVERED, RELAYED -> "Successful Mail Delivery Report";
        };
    }

    private static String description(DsnAction headline, ReturnContent returned) {
        String what = headline == DsnAction.FAILED ? "Undelivered message" : "Message";
        return returned == ReturnContent.FULL ? what : what + " headers";
    }

    private static String returnedType(ReturnContent returned, boolean global) {
        if (returned == ReturnContent.FULL) {
            return global ? "message/global" : "message/rfc822";
        }
        return global ? "message/global-headers" : "text/rfc822-headers";
    }

    private static String textHeaders(String type, String text) {
        return FieldText.isAscii(text)
                ? Folding.field("Content-Type", type + "; charset=us-ascii")
                : Folding.field("Content-Type", type + "; charset=utf-8") + eightBitLabel(true);
    }

    private static String eightBitLabel(boolean eightBit) {
        return eightBit ? Folding.field("Content-Transfer-Encoding", "8bit") : "";
    }

    private String token() {
        String token = tokens.get();
        if (token == null || !TOKEN.matcher(token).matches()) {
            throw new IllegalStateException("token source gave an unusable token: " + token);
        }
        return token;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }
}
