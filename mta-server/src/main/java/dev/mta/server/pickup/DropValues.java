package dev.mta.server.pickup;

/** Checks shared by the writer and the reader, so a value that was written can be read back. */
final class DropValues {
    private DropValues() {
    }

    static boolean isAscii(String text) {
        return text.chars().allMatch(c -> c < 0x80);
    }

    /**
     * An address as it goes on a MAIL or RCPT line: local@domain, no white space, controls or
     * angle brackets (RFC 5321 4.1.2), non-ASCII only with SMTPUTF8 (RFC 6531 3.3).
     */
    static void requireMailbox(String address, boolean smtpUtf8, String what) {
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1 || address.length() > 320) {
            throw new IllegalArgumentException(what + " is not local@domain: " + address);
        }
        if (!address.codePoints().allMatch(c -> c > 0x20 && c != 0x7f && c != '<' && c != '>')) {
            throw new IllegalArgumentException(what + " has white space, a control character or an angle bracket: " + address);
        }
        if (!smtpUtf8 && !isAscii(address)) {
            throw new IllegalArgumentException(what + " is not ASCII and SMTPUTF8 was not asked for: " + address);
        }
    }

    /** A value that must stay on its header line. */
    static void requireLineSafe(String value, String what) {
        if (!value.codePoints().allMatch(c -> c >= 0x20 && c != 0x7f)) {
            throw new IllegalArgumentException(what + " has a control character");
        }
    }

    static void requirePrintableAscii(String value, String what) {
        if (value.isEmpty() || !value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException(what + " is not printable US-ASCII: " + value);
        }
    }
}
