package dev.mta.delivery.dsn;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes text from outside (remote replies, ENVID, host names, addresses) safe to write into a header
 * field or a line of a DSN. A remote server's reply may carry CR, LF or other controls; written as
 * received they would end the field and start one of the sender's choosing (a forged header, or in
 * message/delivery-status a forged recipient group). Line breaks therefore become separate lines
 * that the caller folds (every continuation starts with a space, RFC 5322 2.2.3), and every other
 * control is dropped.
 */
final class FieldText {

    private FieldText() {
    }

    static boolean isAscii(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }

    /**
     * The lines of a possibly multi-line text (split at CRLF, CR, LF and the Unicode line and paragraph
     * separators), each {@linkplain #clean cleaned}; blank lines are dropped, so no empty line can end a
     * header section or a group of delivery-status fields.
     */
    static List<String> lines(String text, boolean utf8) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\r\n|[\r\n\u2028\u2029\u0085]", -1)) {
            String cleaned = clean(line, utf8);
            if (!cleaned.isEmpty()) {
                lines.add(cleaned);
            }
        }
        return lines;
    }

    /**
     * One line of text: tabs and line breaks become spaces, other C0 and C1 controls and DEL are
     * dropped, runs of spaces collapse, the ends are trimmed. Without {@code utf8} each non-ASCII
     * character becomes '?': the fields of message/delivery-status are ASCII, which is why RFC 6533 4
     * brings message/global-delivery-status for UTF-8.
     */
    static String clean(String text, boolean utf8) {
        StringBuilder out = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\t' || cp == '\r' || cp == '\n' || cp == ' ' || cp == 0x2028 || cp == 0x2029 || cp == 0x85) {
                space = true;
                continue;
            }
            if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f)) {
                continue;
            }
            if (space && !out.isEmpty()) {
                out.append(' ');
            }
            space = false;
            if (cp > 0x7f && (!utf8 || Character.isSurrogate((char) cp))) {
                out.append('?');
            } else {
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }

    /** A host name from outside: cleaned, and only its first word, as a name has no spaces. */
    static String hostName(String text, boolean utf8) {
        String clean = clean(text, utf8);
        int space = clean.indexOf(' ');
        return space < 0 ? clean : clean.substring(0, space);
    }
}
