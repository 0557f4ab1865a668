package dev.mta.delivery.dsn;

import java.io.IOException;
import java.io.InputStream;

/**
 * Walks the original message piece by piece (see {@link LineReader}) and knows whether each piece
 * belongs to the header section. The header section ends at the first empty line (RFC 5322 2.1) or,
 * for a message without one, at the first line that is neither a header field nor a continuation of
 * one, so text/rfc822-headers never carries body text.
 */
final class OriginalWalk {

    private final LineReader lines;
    private boolean inHeader = true;
    private boolean continuation;

    OriginalWalk(InputStream in) {
        this.lines = new LineReader(in);
    }

    boolean next() throws IOException {
        boolean startsLine = lines.end() != LineReader.End.CUT;
        if (!lines.next()) {
            return false;
        }
        continuation = !startsLine;
        if (inHeader && startsLine) {
            inHeader = isFieldOrContinuation(lines.piece(), lines.length());
        }
        return true;
    }

    /** RFC 5322 2.2: field-name = 1*ftext (printable ASCII but ':'), then ':'; or folding white space. */
    private boolean isFieldOrContinuation(byte[] line, int length) {
        if (length == 0) {
            return false;
        }
        if (line[0] == ' ' || line[0] == '\t') {
            return true;
        }
        for (int i = 0; i < length; i++) {
            byte b = line[i];
            if (b == ':') {
                return i > 0;
            }
            if (b < 33 || b > 126) {
                return false;
            }
        }
        return false;
    }

    boolean inHeader() {
        return inHeader;
    }

    /** This piece continues a line cut at {@link LineReader#MAX_PIECE}. */
    boolean continuation() {
        return continuation;
    }

    LineReader lines() {
        return lines;
    }
}
