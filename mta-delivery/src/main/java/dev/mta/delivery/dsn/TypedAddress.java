package dev.mta.delivery.dsn;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Addresses as the Original-Recipient and Final-Recipient fields type them, "address-type;
 * generic-address" (RFC 3464 2.1.2). An ASCII address is "rfc822". A non-ASCII one is "utf-8"
 * (RFC 6533 3): written as it is (utf-8-address) in message/global-delivery-status, and in the
 * 7-bit utf-8-addr-xtext form, each character outside QCHAR as \x{HEX}, anywhere ASCII is required.
 */
final class TypedAddress {

    private static final Pattern EMBEDDED = Pattern.compile("\\\\x\\{([0-9A-Fa-f]{1,6})\\}");

    private TypedAddress() {
    }

    /** The Final-Recipient value for an address the relay tried. */
    static String of(String address, boolean global) {
        String clean = FieldText.clean(address, true);
        if (FieldText.isAscii(clean)) {
            return "rfc822; " + clean;
        }
        return "utf-8; " + (global ? clean : xtext(clean));
    }

    /**
     * The Original-Recipient value for an ORCPT kept as "addr-type;address" (xtext already decoded,
     * RFC 3461 4.2). A utf-8 ORCPT arrives in the utf-8-addr-xtext or -unitext form (RFC 6533 3); its
     * \x{HEX} escapes are decoded and the address written again in the form this part allows.
     * Other types are echoed, cleaned.
     */
    static String original(String orcpt, boolean global) {
        int semicolon = orcpt.indexOf(';');
        String type = orcpt.substring(0, semicolon).trim().toLowerCase(Locale.ROOT);
        String address = orcpt.substring(semicolon + 1).trim();
        return switch (type) {
            case "rfc822" -> of(address, global);
            case "utf-8" -> "utf-8; " + (global ? FieldText.clean(decodeEmbedded(address), true)
                    : xtext(FieldText.clean(decodeEmbedded(address), true)));
            default -> type + "; " + FieldText.clean(address, global);
        };
    }

    /** How the human-readable part shows an address: as it is where UTF-8 may be written. */
    static String display(String address, boolean utf8) {
        String clean = FieldText.clean(address, true);
        return utf8 || FieldText.isAscii(clean) ? clean : xtext(clean);
    }

    /**
     * RFC 6533 3 utf-8-addr-xtext: QCHAR (printable ASCII except '+', '=' and '\') as it is, every other
     * character as \x{HEX} with upper-case digits, at least two of them.
     */
    static String xtext(String address) {
        StringBuilder out = new StringBuilder(address.length());
        address.codePoints().forEach(cp -> {
            if (cp >= 0x21 && cp <= 0x7e && cp != '+' && cp != '=' && cp != '\\') {
                out.appendCodePoint(cp);
            } else {
                out.append("\\x{").append(String.format(Locale.ROOT, "%02X", cp)).append('}');
            }
        });
        return out.toString();
    }

    /** Replaces each EmbeddedUnicodeChar (RFC 6533 3, \x{HEX}) by its character; anything malformed stays. */
    static String decodeEmbedded(String text) {
        Matcher m = EMBEDDED.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            int cp = Integer.parseInt(m.group(1), 16);
            boolean valid = cp <= Character.MAX_CODE_POINT && !(cp >= 0xd800 && cp <= 0xdfff);
            m.appendReplacement(out, Matcher.quoteReplacement(valid ? Character.toString(cp) : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }
}
