package dev.mta.server.smtp.syntax;

import java.util.Optional;

/**
 * Parses the paths of MAIL FROM and RCPT TO by the grammar of RFC 5321 4.1.2, extended by
 * RFC 6531 3.3 for SMTPUTF8. Strict on purpose: whatever is accepted here is what the relay will
 * route by, so an address that two parsers could read differently (trailing dots, unbalanced
 * quotes, stray brackets) is refused rather than guessed at.
 */
public final class PathParser {
    // RFC 5321 4.5.3.1.1-3.
    private static final int MAX_LOCAL_PART = 64;
    private static final int MAX_DOMAIN = 255;
    private static final int MAX_PATH = 256;

    private final String text;
    private final boolean utf8Allowed;
    private int pos;

    private PathParser(String text, boolean utf8Allowed) {
        this.text = text;
        this.utf8Allowed = utf8Allowed;
    }

    /** The result of reading a path: what was inside the angle brackets, and the rest of the line. */
    public record Parsed(Optional<Mailbox> mailbox, String rest) {
    }

    /**
     * Reads {@code "<" [ A-d-l ":" ] Mailbox ">"} (or {@code "<>"} when {@code nullAllowed}) at the
     * start of {@code text}. A source route (A-d-l) is read and dropped, as RFC 5321 4.1.1.3 and
     * Appendix C ask: it never decides where mail goes.
     */
    public static Parsed parse(String text, boolean nullAllowed, boolean utf8Allowed) throws SyntaxException {
        return new PathParser(text, utf8Allowed).path(nullAllowed);
    }

    private Parsed path(boolean nullAllowed) throws SyntaxException {
        expect('<', "the address must be in angle brackets, like <user@example.org>");
        if (peek() == '>') {
            pos++;
            if (!nullAllowed) {
                throw new SyntaxException("the null path <> is not allowed here");
            }
            return new Parsed(Optional.empty(), rest());
        }
        if (peek() == '@') {
            sourceRoute();
        }
        int start = pos;
        String localPart = localPart();
        expect('@', "the address needs a domain: user@example.org");
        String domain = peek() == '[' ? addressLiteral() : domain();
        int length = pos - start;
        expect('>', "unexpected character after the address");
        if (length + 2 > MAX_PATH) {
            throw new SyntaxException("the path is longer than " + MAX_PATH + " octets");
        }
        return new Parsed(Optional.of(Mailbox.of(localPart, domain)), rest());
    }

    private void sourceRoute() throws SyntaxException {
        do {
            expect('@', "malformed source route");
            domain();
        } while (consume(','));
        expect(':', "malformed source route");
    }

    private String localPart() throws SyntaxException {
        int start = pos;
        if (peek() == '"') {
            quotedString();
        } else {
            dotString();
        }
        String localPart = text.substring(start, pos);
        if (utf8Length(localPart) > MAX_LOCAL_PART) {
            throw new SyntaxException("the local part is longer than " + MAX_LOCAL_PART + " octets");
        }
        return localPart;
    }

    private void dotString() throws SyntaxException {
        atom();
        while (peek() == '.') {
            pos++;
            atom();
        }
    }

    private void atom() throws SyntaxException {
        int start = pos;
        while (pos < text.length() && isAtext(text.charAt(pos))) {
            pos++;
        }
        if (pos == start) {
            throw new SyntaxException(pos < text.length() && text.charAt(pos) == '.'
                    ? "empty label in the local part (two dots, or a leading or trailing dot)"
                    : "invalid character in the local part");
        }
    }

    private void quotedString() throws SyntaxException {
        expect('"', "expected a quote");
        while (true) {
            if (pos >= text.length()) {
                throw new SyntaxException("unterminated quoted local part");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return;
            }
            if (c == '\\') {
                // quoted-pairSMTP = %d92 %d32-126
                pos++;
                if (pos >= text.length() || text.charAt(pos) < 32 || text.charAt(pos) > 126) {
                    throw new SyntaxException("invalid quoted pair in the local part");
                }
                pos++;
            } else if ((c >= 32 && c <= 126) || (utf8Allowed && c >= 0x80)) {
                pos++;
            } else {
                throw new SyntaxException("invalid character in the quoted local part");
            }
        }
    }

    private String domain() throws SyntaxException {
        int start = pos;
        subDomain();
        while (peek() == '.') {
            pos++;
            subDomain();
        }
        String domain = text.substring(start, pos);
        if (utf8Length(domain) > MAX_DOMAIN) {
            throw new SyntaxException("the domain is longer than " + MAX_DOMAIN + " octets");
        }
        return domain;
    }

    private void subDomain() throws SyntaxException {
        // sub-domain = Let-dig [Ldh-str]; RFC 6531 adds U-labels.
        int start = pos;
        while (pos < text.length() && (isLetDig(text.charAt(pos)) || text.charAt(pos) == '-')) {
            pos++;
        }
        if (pos == start) {
            throw new SyntaxException("invalid domain: empty label (a trailing or double dot?) or invalid character");
        }
        if (text.charAt(start) == '-' || text.charAt(pos - 1) == '-') {
            throw new SyntaxException("invalid domain: a label starts or ends with '-'");
        }
        if (pos - start > 63) {
            throw new SyntaxException("invalid domain: a label is longer than 63 characters");
        }
    }

    private String addressLiteral() throws SyntaxException {
        int start = pos;
        int close = text.indexOf(']', pos);
        if (close < 0) {
            throw new SyntaxException("unterminated address literal");
        }
        String inner = text.substring(pos + 1, close);
        if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) {
            if (!AddressLiterals.isIpv6(inner.substring(5))) {
                throw new SyntaxException("invalid IPv6 address literal");
            }
        } else if (!AddressLiterals.isIpv4(inner)) {
            // RFC 5321 4.1.3 General-address-literal: no standardized tags are usable for mail.
            throw new SyntaxException("invalid address literal (expected [a.b.c.d] or [IPv6:...])");
        }
        pos = close + 1;
        return text.substring(start, pos);
    }

    private boolean isAtext(char c) {
        // RFC 5322 atext; RFC 6531 3.3 adds UTF8-non-ascii when SMTPUTF8 is used.
        if (c >= 0x80) {
            return utf8Allowed && !Character.isISOControl(c) && !Character.isWhitespace(c);
        }
        return Character.isLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
    }

    private boolean isLetDig(char c) {
        if (c >= 0x80) {
            return utf8Allowed && Character.isLetterOrDigit(c);
        }
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private boolean consume(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c, String message) throws SyntaxException {
        if (!consume(c)) {
            throw new SyntaxException(message);
        }
    }

    private String rest() {
        return text.substring(pos);
    }

    private static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
