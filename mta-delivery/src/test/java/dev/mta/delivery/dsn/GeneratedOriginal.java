package dev.mta.delivery.dsn;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A message of any size made up as it is read: a short header section, then numbered 76-character
 * lines. Nothing is stored, so a test can hand the composer far more than it could hold.
 */
final class GeneratedOriginal extends InputStream {

    private static final byte[] HEADER = ("From: alice@example.org\r\nTo: bob@example.com\r\n"
            + "Subject: a large attachment\r\nMessage-ID: <large@example.org>\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final int LINE = 78; // 76 characters and CRLF

    private final long size;
    private long position;
    private final byte[] line = new byte[LINE];
    private long lineNumber = -1;

    /** @param size the total size in octets; at least the header section */
    GeneratedOriginal(long size) {
        if (size < HEADER.length) {
            throw new IllegalArgumentException("too small");
        }
        this.size = size;
    }

    static OriginalMessage of(long size) {
        return () -> new GeneratedOriginal(size);
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(length, size - position);
        int done = 0;
        while (done < n) {
            byte[] source;
            int from;
            if (position < HEADER.length) {
                source = HEADER;
                from = (int) position;
            } else {
                long inBody = position - HEADER.length;
                long number = inBody / LINE;
                if (number != lineNumber) {
                    fillLine(number);
                }
                source = line;
                from = (int) (inBody % LINE);
            }
            int chunk = Math.min(n - done, source.length - from);
            System.arraycopy(source, from, buffer, offset + done, chunk);
            done += chunk;
            position += chunk;
        }
        return n;
    }

    /** Line n: its number, then letters, then CRLF; every line differs. */
    private void fillLine(long number) {
        String digits = Long.toString(number);
        for (int column = 0; column < LINE - 2; column++) {
            line[column] = (byte) (column < digits.length() ? digits.charAt(column) : 'a' + column % 26);
        }
        line[LINE - 2] = '\r';
        line[LINE - 1] = '\n';
        lineNumber = number;
    }
}
