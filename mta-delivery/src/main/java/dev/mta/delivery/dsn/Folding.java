package dev.mta.delivery.dsn;

import java.util.ArrayList;
import java.util.List;

/**
 * Line length for what the composer writes: header fields folded at spaces (RFC 5322 2.2.3) to stay
 * within 78 characters where the words allow, and text wrapped the same way. No line ever exceeds
 * the hard limit of 998 octets (RFC 5322 2.1.1): a word longer than {@value #MAX_PIECE} characters
 * (at most 4 octets each in UTF-8) is cut into pieces, which costs it a space where it is cut.
 */
final class Folding {

    /** RFC 5322 2.1.1: lines SHOULD be no more than 78 characters. */
    static final int SOFT_LIMIT = 78;
    /** Longest unbroken piece: 240 characters are at most 960 octets, within 998 after any field name. */
    static final int MAX_PIECE = 240;

    private Folding() {
    }

    /** "Name: value" folded as needed, ending with CRLF. */
    static String field(String name, String value) {
        return field(name, List.of(value));
    }

    /**
     * A header field whose value has several lines: the first follows the name, each further line
     * starts a continuation line of its own (as a multi-line SMTP reply is shown, RFC 3464 2.3.6),
     * and any line longer than the soft limit is folded at spaces. Lines must be clean
     * ({@link FieldText#clean}).
     */
    static String field(String name, List<String> lines) {
        StringBuilder out = new StringBuilder(name).append(':');
        int column = out.length();
        boolean first = true;
        for (int i = 0; i < lines.size(); i++) {
            boolean lineStart = true;
            for (String piece : pieces(lines.get(i))) {
                int length = piece.codePointCount(0, piece.length());
                boolean fold = (i > 0 && lineStart) || (!first && column + 1 + length > SOFT_LIMIT);
                if (fold) {
                    out.append("\r\n ");
                    column = 1;
                } else {
                    out.append(' ');
                    column++;
                }
                out.append(piece);
                column += length;
                first = false;
                lineStart = false;
            }
        }
        return out.append("\r\n").toString();
    }

    /**
     * Text wrapped at spaces to lines of at most {@code width} characters where the words allow, each
     * line starting with {@code indent}.
     */
    static List<String> wrap(String text, String indent, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(indent);
        int column = indent.length();
        boolean empty = true;
        for (String piece : pieces(text)) {
            int length = piece.codePointCount(0, piece.length());
            if (!empty && column + 1 + length > width) {
                lines.add(line.toString());
                line.setLength(0);
                line.append(indent);
                column = indent.length();
                empty = true;
            }
            if (!empty) {
                line.append(' ');
                column++;
            }
            line.append(piece);
            column += length;
            empty = false;
        }
        if (!empty) {
            lines.add(line.toString());
        }
        return lines;
    }

    /** The words of a clean line, with words longer than {@link #MAX_PIECE} cut into pieces. */
    private static List<String> pieces(String line) {
        List<String> pieces = new ArrayList<>();
        for (String word : line.split(" ")) {
            if (word.isEmpty()) {
                continue;
            }
            int start = 0;
            while (start < word.length()) {
                int end = word.offsetByCodePoints(start, Math.min(MAX_PIECE, word.codePointCount(start, word.length())));
                pieces.add(word.substring(start, end));
                start = end;
            }
        }
        return pieces;
    }
}
