package dev.mta.testsupport.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads LF-terminated lines of bytes with its own buffer, so the owner can tell whether bytes
 * are waiting beyond the line it consumed. That matters at STARTTLS: bytes that arrived in
 * clear text after the 220 must not be mistaken for TLS data (RFC 3207 4.2 and the command
 * injection attacks on it).
 */
final class LineReader {
    private final InputStream in;
    private final byte[] buffer = new byte[8192];
    private int start;
    private int end;

    LineReader(InputStream in) {
        this.in = in;
    }

    /**
     * The next line including its LF (and any CR before it), or the bytes before end of stream
     * when the peer closed mid-line, or null at end of stream.
     *
     * @throws SmtpProtocolException when no LF arrives within {@code maxLength} bytes
     */
    byte[] readLine(int maxLength) throws IOException {
        byte[] line = new byte[0];
        while (true) {
            for (int i = start; i < end; i++) {
                if (buffer[i] == '\n') {
                    line = append(line, i + 1 - start);
                    return line;
                }
            }
            line = append(line, end - start);
            if (line.length > maxLength) {
                throw new SmtpProtocolException("line longer than " + maxLength + " bytes");
            }
            if (!fill()) {
                return line.length == 0 ? null : line;
            }
        }
    }

    /** Waits for at least one byte without consuming it; false at end of stream. */
    boolean awaitData() throws IOException {
        return start < end || fill();
    }

    int buffered() {
        return end - start;
    }

    private byte[] append(byte[] line, int count) {
        byte[] longer = Arrays.copyOf(line, line.length + count);
        System.arraycopy(buffer, start, longer, line.length, count);
        start += count;
        return longer;
    }

    private boolean fill() throws IOException {
        start = 0;
        end = 0;
        int read = in.read(buffer);
        if (read < 0) {
            return false;
        }
        end = read;
        return true;
    }
}
