package dev.mta.server.smtp;

import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.StoreException;
import dev.mta.server.config.SmtpConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.smtp.SMTPSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the message after 354 and streams it into the queue's spool file, line by line.
 *
 * <p>Only {@code CRLF . CRLF} ends the data (RFC 5321 4.1.1.4): a dot line after a bare LF does
 * not, so {@code <LF>.<CR><LF>} smuggling cannot split a message here, and what is stored always
 * has CRLF line ends (bare CR and LF are normalised or the message refused, per configuration),
 * so it cannot split one at the next hop either. A message that breaks a rule is read to its end
 * and then refused, so the session stays usable. The reply is 250 only after the queue has made
 * the message durable.
 */
final class DataReader implements LineHandler<SMTPSession> {
    private static final Logger LOG = LoggerFactory.getLogger(DataReader.class);
    private static final byte[] CRLF = {'\r', '\n'};
    private static final int MAX_LINE = 998; // RFC 5322 2.1.1, excluding CRLF

    private final ListenerContext context;
    private final IncomingMessage message;
    private final MailRequest mail;
    private final List<EnvelopeRecipient> recipients;
    private final ClientIdentity client;
    private final ZonedDateTime started;
    private final ByteArrayOutputStream headers = new ByteArrayOutputStream();

    private boolean inHeaders = true;
    private boolean sawMessageId;
    private boolean sawDate;
    private boolean previousLineEndedWithCrlf = true;
    private boolean insideLongLine;
    private long lineLength;
    private long clientBytes;
    private Response refusal;
    private IOException writeFailure;

    DataReader(ListenerContext context, IncomingMessage message, MailRequest mail, List<EnvelopeRecipient> recipients,
            ClientIdentity client) {
        this.context = context;
        this.client = client;
        this.message = message;
        this.mail = mail;
        this.recipients = List.copyOf(recipients);
        this.started = ZonedDateTime.now(context.clock());
    }

    @Override
    public Response onLine(SMTPSession session, byte[] line) {
        int length = line.length;
        boolean endsWithLf = length > 0 && line[length - 1] == '\n';
        boolean endsWithCrlf = endsWithLf && length > 1 && line[length - 2] == '\r';
        if (!insideLongLine && previousLineEndedWithCrlf && endsWithCrlf && length == 3 && line[0] == '.') {
            return finish(session);
        }
        int contentLength = endsWithCrlf ? length - 2 : endsWithLf ? length - 1 : length;
        boolean startOfLine = !insideLongLine;
        insideLongLine = !endsWithLf;
        previousLineEndedWithCrlf = endsWithCrlf;
        lineLength = (startOfLine ? 0 : lineLength) + contentLength;
        clientBytes += length;
        if (lineLength > MAX_LINE) {
            refuse(Replies.reply(550, "5.6.0", "Message has a line longer than 998 characters (RFC 5322 2.1.1)"));
        }
        if (endsWithLf && !endsWithCrlf) {
            bareLineEnding();
        }
        if (clientBytes > context.smtp().maxMessageSize()) {
            refuse(Replies.reply(552, "5.3.4", "Message size exceeds fixed maximum message size of "
                    + context.smtp().maxMessageSize() + " octets"));
        }
        // RFC 5321 4.5.2: remove the leading dot of a stuffed line; a lone "." that did not end
        // the data (it followed a bare LF) is kept, so it is stuffed again on the way out.
        int offset = startOfLine && contentLength > 1 && line[0] == '.' ? 1 : 0;
        if (refusal == null) {
            checkContent(line, offset, contentLength);
        }
        if (refusal == null && writeFailure == null) {
            try {
                writeLine(line, offset, contentLength, endsWithLf, startOfLine);
            } catch (IOException e) {
                writeFailure = e;
            }
        }
        return null;
    }

    private void checkContent(byte[] line, int from, int to) {
        boolean eightBitAllowed = mail.allowsEightBit()
                || context.smtp().eightBitWithout8BitMime() == SmtpConfig.EightBitPolicy.ACCEPT;
        for (int i = from; i < to; i++) {
            byte b = line[i];
            if (b == 0) {
                refuse(Replies.reply(550, "5.6.0", "Message contains a NUL byte"));
                return;
            }
            if (b < 0 && !eightBitAllowed) {
                refuse(Replies.reply(550, "5.6.0", "Message has 8-bit data but MAIL did not say BODY=8BITMIME (RFC 6152)"));
                return;
            }
            if (b == '\r') {
                bareLineEnding();
            }
        }
    }

    private void bareLineEnding() {
        if (context.smtp().bareLineEndings() == SmtpConfig.BareLineEndings.REJECT) {
            refuse(Replies.reply(550, "5.6.0", "Message has a bare CR or LF; lines must end with CRLF (RFC 5321 2.3.8)"));
        }
    }

    private void refuse(Response reply) {
        if (refusal == null) {
            refusal = reply;
        }
    }

    private void writeLine(byte[] line, int from, int to, boolean complete, boolean startOfLine) throws IOException {
        if (inHeaders && startOfLine && complete) {
            if (to - from == 0) {
                endHeaders();
                return;
            }
            if (!isHeaderLine(line, from, to)) {
                // Content without a blank line after the headers: the body starts here.
                endHeaders();
            } else {
                noteHeaderName(line, from, to);
            }
        }
        OutputStream out = inHeaders ? headers : message.body();
        // Bare CRs inside the line become CRLF: what is stored has one kind of line end only.
        int start = from;
        for (int i = from; i < to; i++) {
            if (line[i] == '\r') {
                out.write(line, start, i - start);
                out.write(CRLF);
                start = i + 1;
            }
        }
        out.write(line, start, to - start);
        if (complete) {
            out.write(CRLF);
        }
        if (inHeaders && headers.size() > context.smtp().maxHeaderSize()) {
            refuse(Replies.reply(552, "5.3.4", "Header section exceeds " + context.smtp().maxHeaderSize() + " octets"));
        }
    }

    private static boolean isHeaderLine(byte[] line, int from, int to) {
        if (line[from] == ' ' || line[from] == '\t') {
            return true; // folded continuation
        }
        for (int i = from; i < to; i++) {
            byte b = line[i];
            if (b == ':') {
                return i > from;
            }
            if (b < 33 || b > 126) {
                return false; // RFC 5322 2.2 ftext
            }
        }
        return false;
    }

    private void noteHeaderName(byte[] line, int from, int to) {
        String start = new String(line, from, Math.min(to - from, 12), StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        sawMessageId |= start.startsWith("message-id:");
        sawDate |= start.startsWith("date:");
    }

    /** Writes the trace header, the client's headers and any added ones, then the blank line. */
    private void endHeaders() throws IOException {
        writeHeaderSection(true);
    }

    private void writeHeaderSection(boolean withSeparator) throws IOException {
        inHeaders = false;
        OutputStream out = message.body();
        out.write(receivedHeader().getBytes(StandardCharsets.UTF_8));
        headers.writeTo(out);
        headers.reset();
        if (context.isSubmission()) {
            // RFC 6409 8.2, 8.3: a submission server may add missing Date and Message-ID.
            if (!sawDate) {
                out.write(TraceHeaders.date(started).getBytes(StandardCharsets.US_ASCII));
            }
            if (!sawMessageId) {
                out.write(TraceHeaders.messageId(message.id(), context.hostname(), started).getBytes(StandardCharsets.US_ASCII));
            }
        }
        if (withSeparator) {
            out.write(CRLF);
        }
    }

    private String receivedHeader() {
        return TraceHeaders.received(
                client.heloName(), client.address(), context.hostname(),
                TraceHeaders.protocol(client.extended(), mail.smtpUtf8(), client.tls().isPresent(), client.user().isPresent()),
                client.tls(), message.id(),
                recipients.size() == 1 ? Optional.of(recipients.get(0).address()) : Optional.empty(),
                started);
    }

    /** The reply to the end of data, counted: 250 as an acceptance with its latency, else as a refusal. */
    private Response finish(SMTPSession session) {
        long endOfData = System.nanoTime();
        Response reply = complete(session);
        if ("250".equals(reply.getRetCode())) {
            context.metrics().accepted(java.time.Duration.ofNanos(System.nanoTime() - endOfData));
        } else {
            context.metrics().replied("DATA", reply);
        }
        return reply;
    }

    private Response complete(SMTPSession session) {
        session.popLineHandler();
        try {
            if (refusal != null) {
                LOG.info("refused id={} from=<{}> client={} reason=\"{}\"", message.id(), mail.sender(), client.address(),
                        String.join(" ", refusal.getLines()));
                return refusal;
            }
            if (writeFailure == null && inHeaders) {
                try {
                    writeHeaderSection(false);
                } catch (IOException e) {
                    writeFailure = e;
                }
            }
            if (writeFailure != null) {
                LOG.error("spool write failed id={} client={}: {}", message.id(), client.address(), writeFailure.toString());
                return isNoSpace(writeFailure) ? Replies.NO_STORAGE : Replies.STORE_FAILED;
            }
            Envelope envelope = new Envelope(mail.sender(), recipients, mail.bodyType(), mail.smtpUtf8(),
                    mail.dsnReturn(), mail.envelopeId(),
                    new Envelope.ClientInfo(client.address(), client.heloName(), client.user()),
                    Instant.now(context.clock()), Envelope.Origin.SUBMITTED, mail.requireTls());
            try {
                message.commit(envelope);
            } catch (StoreException e) {
                LOG.error("queue commit failed id={} client={}: {}", message.id(), client.address(), e.getMessage());
                return e.isResourceShortage() ? Replies.NO_STORAGE : Replies.STORE_FAILED;
            }
            LOG.info("accepted id={} from=<{}> nrcpt={} size={} client={} helo={} tls={} auth={}",
                    message.id(), mail.sender(), recipients.size(), message.size(), client.address(), client.heloName(),
                    client.tls().orElse("none"), client.user().orElse("-"));
            return Replies.reply(250, "2.0.0", "Ok: queued as " + message.id());
        } finally {
            message.close();
            session.removeAttachment(SessionKeys.INCOMING, org.apache.james.protocols.api.ProtocolSession.State.Transaction);
            session.resetState();
        }
    }

    private static boolean isNoSpace(IOException e) {
        String text = String.valueOf(e.getMessage());
        return text.contains("No space left") || text.contains("Disk quota exceeded");
    }
}
