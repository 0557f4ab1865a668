package dev.mta.delivery.dsn;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a message as lines, in pieces of bounded length, with a fixed amount of memory whatever the
 * message's size. CRLF, a bare CR and a bare LF all end a line, so what is copied from the queue is
 * written back with CRLF only. A line longer than {@value #MAX_PIECE} octets comes in several pieces;
 * the copier breaks it there, as RFC 5321 4.5.3.1.6 leaves no room for longer lines in SMTP (Postfix's
 * smtp_line_length_limit does the same).
 */
final class LineReader {

    /** Octets a piece may hold: 998 less room for a folding space before a header continuation. */
    static final int MAX_PIECE = 990;

    /** How a piece ends. */
    enum End {
        /** At a line break. */
        BREAK,
        /** At {@link #MAX_PIECE}: the next piece continues the same line. */
        CUT,
        /** At the end of the input, without a line break. */
        EOF
    }

    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private boolean afterCr;
    private boolean exhausted;
    private final byte[] piece = new byte[MAX_PIECE];
    private int length;
    private End end = End.BREAK;
    private boolean eightBit;
    private long octetsRead;

    LineReader(InputStream in) {
        this.in = in;
    }

    /** Reads the next piece; false when the input is used up and nothing is left. */
    boolean next() throws IOException {
        length = 0;
        eightBit = false;
        while (true) {
            if (position == limit && !fill()) {
                end = End.EOF;
                return length > 0;
            }
            byte b = buffer[position++];
            if (afterCr) {
                afterCr = false;
                if (b == '\n') {
                    continue;
                }
            }
            if (b == '\r' || b == '\n') {
                afterCr = b == '\r';
                end = End.BREAK;
                return true;
            }
            if (length == MAX_PIECE) {
                position--;
                end = End.CUT;
                return true;
            }
            eightBit |= b < 0;
            piece[length++] = b;
        }
    }

    private boolean fill() throws IOException {
        if (exhausted) {
            return false;
        }
        int n = in.read(buffer);
        if (n < 0) {
            exhausted = true;
            return false;
        }
        position = 0;
        limit = n;
        octetsRead += n;
        return true;
    }

    byte[] piece() {
        return piece;
    }

    int length() {
        return length;
    }

    End end() {
        return end;
    }

    /** Whether this piece holds an octet above 127. */
    boolean eightBit() {
        return eightBit;
    }

    /** Octets taken from the input so far. */
    long octetsRead() {
        return octetsRead;
    }
}
