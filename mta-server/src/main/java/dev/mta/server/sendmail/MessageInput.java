package dev.mta.server.sendmail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a message from standard input as sendmail does: lines end in LF or CRLF; without
 * {@code -i} a line holding only a dot ends the message (and is not part of it), with {@code -i}
 * only the end of input does. Lines are kept as ISO-8859-1 strings, so every byte survives.
 */
public final class MessageInput {

    /** The input was larger than the relay accepts. */
    public static final class TooLargeException extends IOException {
        TooLargeException(long limit) {
            super("the message is larger than " + limit + " bytes (smtp.max-message-size)");
        }
    }

    /** The input holds a NUL byte, which no mail may carry (RFC 5322 2.1 and 3.5). */
    public static final class NulByteException extends IOException {
        NulByteException(int line) {
            super("line " + line + " of the message holds a NUL byte");
        }
    }

    private MessageInput() {
    }

    /**
     * @param dotEnds  true without -i: a lone "." ends the input
     * @param maxBytes the most bytes of message accepted
     * @return the lines, without line endings
     */
    public static List<String> read(InputStream in, boolean dotEnds, long maxBytes) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long total = 0;
        int b;
        boolean pending = false;
        while ((b = in.read()) != -1) {
            total++;
            if (total > maxBytes + 2) {
                throw new TooLargeException(maxBytes);
            }
            if (b == 0) {
                throw new NulByteException(lines.size() + 1);
            }
            if (b == '\n') {
                String text = ended(line);
                if (dotEnds && text.equals(".")) {
                    return lines;
                }
                lines.add(text);
                line.reset();
                pending = false;
                continue;
            }
            line.write(b);
            pending = true;
        }
        if (pending) {
            String text = ended(line);
            if (!(dotEnds && text.equals("."))) {
                lines.add(text);
            }
        }
        return lines;
    }

    private static String ended(ByteArrayOutputStream line) {
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
