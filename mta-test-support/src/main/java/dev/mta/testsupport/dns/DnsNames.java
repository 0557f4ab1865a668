package dev.mta.testsupport.dns;

import java.util.Locale;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** Names as tests write them ({@code "mx1.example.org"}, trailing dot optional). */
final class DnsNames {
    private DnsNames() {
    }

    static Name absolute(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a domain name: '" + name + "': " + e.getMessage(), e);
        }
    }

    /** Lower case without the trailing dot, as {@link ReceivedQuery} reports names. */
    static String text(Name name) {
        return name.toString(true).toLowerCase(Locale.ROOT);
    }
}
