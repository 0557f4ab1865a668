package dev.mta.delivery.dsn;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The original message in the third part of the report: learned about first ({@link #scan}), copied
 * afterwards ({@link #copy}), each time streamed from the queue with a fixed amount of memory.
 */
final class ReturnedOriginal {

    private static final byte[] CRLF = {'\r', '\n'};
    /** A header line cut at the length limit goes on as a folded continuation (RFC 5322 2.2.3). */
    private static final byte[] FOLD = {'\r', '\n', ' '};

    private ReturnedOriginal() {
    }

    /**
     * What the returned part needs to know before its header is written.
     *
     * @param octets         the message's size (only when it was read to the end)
     * @param headerEightBit the header section has an octet above 127
     * @param bodyEightBit   the body has an octet above 127
     */
    record Scan(long octets, boolean headerEightBit, boolean bodyEightBit) {
        boolean eightBit(ReturnContent returned) {
            return headerEightBit || (returned == ReturnContent.FULL && bodyEightBit);
        }
    }

    /** Reads the header section, and the body too unless {@code headersOnly}. */
    static Scan scan(OriginalMessage original, boolean headersOnly) throws IOException {
        boolean headerEightBit = false;
        boolean bodyEightBit = false;
        try (InputStream in = original.open()) {
            OriginalWalk walk = new OriginalWalk(in);
            while (walk.next()) {
                if (walk.inHeader()) {
                    headerEightBit |= walk.lines().eightBit();
                } else if (headersOnly) {
                    break;
                } else {
                    bodyEightBit |= walk.lines().eightBit();
                }
            }
            return new Scan(walk.lines().octetsRead(), headerEightBit, bodyEightBit);
        }
    }

    /** Writes the whole message, or its header section only, with CRLF lines none longer than 998 octets. */
    static void copy(OriginalMessage original, ReturnContent what, OutputStream out) throws IOException {
        try (InputStream in = original.open()) {
            OriginalWalk walk = new OriginalWalk(in);
            boolean lineOpen = false;
            while (walk.next()) {
                if (what == ReturnContent.HEADERS && !walk.inHeader()) {
                    break;
                }
                LineReader lines = walk.lines();
                if (walk.continuation()) {
                    out.write(walk.inHeader() ? FOLD : CRLF);
                }
                out.write(lines.piece(), 0, lines.length());
                lineOpen = lines.end() == LineReader.End.CUT;
                if (!lineOpen) {
                    out.write(CRLF);
                }
            }
            if (lineOpen) {
                out.write(CRLF);
            }
        }
    }
}
