package dev.mta.server.pickup;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes lines with CRLF endings: a bare LF becomes CRLF, an existing CRLF is kept, and a last
 * line without an ending gets one. The queue holds bodies as they are relayed, and RFC 5322 2.3
 * / RFC 5321 2.3.8 allow only CRLF as a line ending, while cron, PHP and shell scripts hand
 * sendmail LF-terminated text. A bare CR is left alone: it is the message's own content.
 */
final class CrlfOutputStream extends FilterOutputStream {
    private int previous = '\n';
    private long written;

    CrlfOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        if (b == '\n' && previous != '\r') {
            out.write('\r');
            written++;
        }
        out.write(b);
        written++;
        previous = b & 0xff;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (bytes[i] == '\n' && (i > offset ? bytes[i - 1] : previous) != '\r') {
                out.write(bytes, start, i - start);
                out.write('\r');
                written += i - start + 1;
                start = i;
            }
        }
        out.write(bytes, start, end - start);
        written += end - start;
        if (length > 0) {
            previous = bytes[end - 1] & 0xff;
        }
    }

    /** Ends an unterminated last line; the caller closes the underlying stream itself. */
    void finish() throws IOException {
        if (previous != '\n') {
            write('\n');
        }
        out.flush();
    }

    long written() {
        return written;
    }
}
