package dev.mta.delivery.smtpclient;

import java.nio.charset.StandardCharsets;

/** RFC 3461 4 xtext, for the ENVID and ORCPT parameters. */
final class Xtext {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Xtext() {
    }

    /**
     * Printable ASCII stays as it is except "+" and "="; every other octet (of the UTF-8 form)
     * becomes "+" and two upper-case hex digits.
     */
    static String encode(String text) {
        StringBuilder encoded = new StringBuilder(text.length());
        for (byte octet : text.getBytes(StandardCharsets.UTF_8)) {
            int value = octet & 0xff;
            if (value >= '!' && value <= '~' && value != '+' && value != '=') {
                encoded.append((char) value);
            } else {
                encoded.append('+').append(HEX[value >> 4]).append(HEX[value & 0xf]);
            }
        }
        return encoded.toString();
    }
}
