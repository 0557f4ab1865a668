package dev.mta.delivery.smtpclient;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Message content of any size made up on the fly, never held in memory: CRLF lines of 78
 * octets, every seventh starting with a dot, so stuffing is exercised all the way through.
 */
final class GeneratedContent extends InputStream {
    private static final byte[] PLAIN = (".".repeat(0) + "x".repeat(76) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DOTTED = ("." + "y".repeat(75) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    private final long size;
    private long position;

    GeneratedContent(long size) {
        this.size = size;
    }

    /** The octet at a position of the content: the same for every reader. */
    static byte octetAt(long position) {
        long line = position / PLAIN.length;
        int column = (int) (position % PLAIN.length);
        return (line % 7 == 3 ? DOTTED : PLAIN)[column];
    }

    @Override
    public int read() {
        return position < size ? octetAt(position++) & 0xff : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (position >= size) {
            return -1;
        }
        int count = (int) Math.min(length, size - position);
        for (int i = 0; i < count; i++) {
            buffer[offset + i] = octetAt(position++);
        }
        return count;
    }
}
