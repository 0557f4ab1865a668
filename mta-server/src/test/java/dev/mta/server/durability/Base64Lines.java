package dev.mta.server.durability;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Message body lines that look like base64 (RFC 2045 6.8: 76 characters), from a seeded Random so
 * a failing run can be repeated. The alphabet has no '.', so no line needs dot-stuffing.
 */
final class Base64Lines {
    static final int LENGTH = 76;
    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);

    private Base64Lines() {
    }

    static String line(Random random) {
        byte[] line = new byte[LENGTH];
        fill(line, 0, random);
        return new String(line, StandardCharsets.US_ASCII);
    }

    /** Writes one line of {@link #LENGTH} characters, without its CRLF, at {@code offset}. */
    static void fill(byte[] into, int offset, Random random) {
        for (int i = 0; i < LENGTH; i++) {
            into[offset + i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
    }
}
