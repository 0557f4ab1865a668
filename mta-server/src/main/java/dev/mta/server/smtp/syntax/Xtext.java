package dev.mta.server.smtp.syntax;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** RFC 3461 4 xtext: printable ASCII except '+' and '=', with "+XX" hex escapes. */
public final class Xtext {
    private Xtext() {
    }

    public static String decode(String xtext) throws SyntaxException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < xtext.length(); i++) {
            char c = xtext.charAt(i);
            if (c == '+') {
                if (i + 2 >= xtext.length()) {
                    throw new SyntaxException("truncated +XX escape in xtext");
                }
                int high = hex(xtext.charAt(i + 1));
                int low = hex(xtext.charAt(i + 2));
                if (high < 0 || low < 0) {
                    throw new SyntaxException("invalid +XX escape in xtext");
                }
                out.write(high * 16 + low);
                i += 2;
            } else if (c >= 33 && c <= 126 && c != '=') {
                out.write(c);
            } else {
                throw new SyntaxException("invalid character in xtext");
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    public static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 33 && c <= 126 && c != '+' && c != '=') {
                out.append((char) c);
            } else {
                out.append('+').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    private static int hex(char c) {
        // RFC 3461 hexchar uses upper-case digits; accept lower case as a lenient reader.
        return Character.digit(c, 16);
    }
}
