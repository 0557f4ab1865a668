package dev.mta.server.smtp.syntax;

import java.util.Locale;

/**
 * An RFC 5321 Mailbox: local part exactly as the client wrote it (quoting included, case kept,
 * since only the destination may interpret it) and the domain or address literal, lower-cased.
 */
public record Mailbox(String localPart, String domain) {

    public String address() {
        return localPart + "@" + domain;
    }

    public boolean isAddressLiteral() {
        return domain.startsWith("[");
    }

    /** True when the local part or domain needs SMTPUTF8 (RFC 6531 3.3). */
    public boolean needsSmtpUtf8() {
        return !isAscii(localPart) || !isAscii(domain);
    }

    static Mailbox of(String localPart, String domain) {
        return new Mailbox(localPart, domain.toLowerCase(Locale.ROOT));
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    @Override
    public String toString() {
        return address();
    }
}
