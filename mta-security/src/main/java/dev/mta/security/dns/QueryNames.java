package dev.mta.security.dns;

import java.net.IDN;
import java.util.Locale;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** Turns the names callers hold into the names that go on the wire. */
final class QueryNames {
    private QueryNames() {
    }

    /**
     * The absolute, lower-case A-label form of {@code domain}: one trailing dot is allowed, case
     * is ignored (RFC 1035 2.3.3, RFC 4343), U-labels become A-labels (RFC 5890 2.3.2.1; the JDK
     * implements IDNA2003, which differs from IDNA2008 for a few characters such as ß).
     */
    static Name toName(String domain) {
        Objects.requireNonNull(domain, "domain");
        String text = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        if (text.isEmpty()) {
            throw new IllegalArgumentException("not a domain name: '" + domain + "' is empty");
        }
        String ascii;
        try {
            ascii = IDN.toASCII(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a domain name: '" + domain + "': " + e.getMessage(), e);
        }
        try {
            return Name.fromString(ascii.toLowerCase(Locale.ROOT) + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a domain name: '" + domain + "': " + e.getMessage(), e);
        }
    }

    /** The name as results report it: lower case, without the trailing dot. */
    static String text(Name name) {
        return name.toString(true).toLowerCase(Locale.ROOT);
    }

    /** A question for messages: {@code example.org/MX}, and {@code ./DNSKEY} for the root. */
    static String question(Name name, int type) {
        return (name.equals(Name.root) ? "." : text(name)) + "/" + Type.string(type);
    }
}
