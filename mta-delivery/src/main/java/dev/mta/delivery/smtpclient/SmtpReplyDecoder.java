package dev.mta.delivery.smtpclient;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Bytes from the server into {@link SmtpReply} objects, one per complete (possibly multi-line)
 * reply (RFC 5321 4.2). Does no I/O. Anything that is not a reply fails with
 * {@link MalformedReplyException}, after which the decoder discards all input: a session that
 * lost its framing cannot be trusted again.
 */
final class SmtpReplyDecoder extends ByteToMessageDecoder {
    // RFC 5321 4.5.3.1.5 allows 512 octets per reply line; real servers send a little more.
    static final int MAX_LINE_LENGTH = 2048;
    // EHLO replies are the longest in practice, a few dozen lines.
    static final int MAX_LINES = 100;

    private final List<String> lines = new ArrayList<>();
    private int code;
    private boolean broken;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.isReadable()) {
            int lineFeed = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            if (lineFeed < 0) {
                if (in.readableBytes() > MAX_LINE_LENGTH) {
                    throw malformed("reply line longer than " + MAX_LINE_LENGTH + " octets");
                }
                return;
            }
            int length = lineFeed + 1 - in.readerIndex();
            if (length > MAX_LINE_LENGTH) {
                throw malformed("reply line longer than " + MAX_LINE_LENGTH + " octets");
            }
            byte[] line = new byte[length];
            in.readBytes(line);
            Optional<SmtpReply> reply = line(line);
            if (reply.isPresent()) {
                // One reply per call: the decoder's caller hands it on before decoding more, so
                // whoever reads it (the 220 to STARTTLS) sees what still waits undecoded.
                out.add(reply.get());
                return;
            }
        }
    }

    /**
     * Whether bytes beyond the last complete reply are waiting. After the 220 to STARTTLS there
     * must be none: they could only be clear text injected before the handshake (RFC 3207 5,
     * CVE-2011-0411 in reverse).
     */
    boolean holdsUnreadBytes() {
        return actualReadableBytes() > 0 || !lines.isEmpty();
    }

    /** One line with its LF; the reply when this was its last line. */
    private Optional<SmtpReply> line(byte[] line) {
        // A bare LF ends a line as well as CRLF: lenient in what we accept, as most clients are.
        int end = line.length - 1;
        if (end > 0 && line[end - 1] == '\r') {
            end--;
        }
        // RFC 5321 4.2: Reply-code = %x32-35 %x30-35 %x30-39, then SP or "-" (or nothing) before CRLF.
        if (end < 3 || !inRange(line[0], '2', '5') || !inRange(line[1], '0', '5') || !inRange(line[2], '0', '9')) {
            throw malformed("not a reply line: " + printable(line, end));
        }
        int lineCode = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
        boolean last;
        if (end == 3 || line[3] == ' ') {
            last = true;
        } else if (line[3] == '-') {
            last = false;
        } else {
            throw malformed("no space or hyphen after the reply code: " + printable(line, end));
        }
        if (!lines.isEmpty() && lineCode != code) {
            throw malformed("continuation line with code " + lineCode + " in a " + code + " reply");
        }
        if (lines.size() == MAX_LINES) {
            throw malformed("reply longer than " + MAX_LINES + " lines");
        }
        code = lineCode;
        // Text is meant to be ASCII; servers sending UTF-8 get it decoded, anything else replaced.
        lines.add(end > 4 ? new String(line, 4, end - 4, StandardCharsets.UTF_8) : "");
        if (!last) {
            return Optional.empty();
        }
        SmtpReply reply = new SmtpReply(code, EnhancedStatusCode.find(code, lines.getFirst()), lines);
        lines.clear();
        return Optional.of(reply);
    }

    private MalformedReplyException malformed(String reason) {
        broken = true;
        lines.clear();
        return new MalformedReplyException(reason);
    }

    private static boolean inRange(byte b, char low, char high) {
        return b >= low && b <= high;
    }

    /** The start of a bad line for the error message, control characters escaped. */
    private static String printable(byte[] line, int end) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(end, 80); i++) {
            int b = line[i] & 0xff;
            if (b >= 0x20 && b < 0x7f) {
                text.append((char) b);
            } else {
                text.append(String.format("\\x%02x", b));
            }
        }
        return "\"" + text + (end > 80 ? "...\"" : "\"");
    }
}
