package dev.mta.security.tlsrpt;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A policy domain's TLS-RPT record (RFC 8460 3): where it wants its reports. Found as TXT at
 * {@link #queryName(String)}; {@link #parse(List)} turns the TXT answer into a record, or none
 * when the domain must be treated as not implementing TLS-RPT.
 *
 * @param reportUris the {@code rua} URIs this relay can deliver to (mailto and https), in record order
 */
public record TlsRptRecord(List<URI> reportUris) {

    /** The version tag a record starts with; case-sensitive (RFC 8460 3, {@code %s"v=TLSRPTv1"}). */
    public static final String VERSION = "v=TLSRPTv1";

    // RFC 8460 3: field-delim = *WSP ";" *WSP
    private static final Pattern FIELD_DELIMITER = Pattern.compile("[ \t]*;[ \t]*");
    // RFC 8460 3: the URIs of rua are separated by *WSP "," *WSP
    private static final Pattern URI_DELIMITER = Pattern.compile("[ \t]*,[ \t]*");
    // RFC 8460 3: ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
    private static final Pattern EXTENSION_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    // RFC 8460 3: ext-value = 1*(%x21-3A / %x3C / %x3E-7E)
    private static final Pattern EXTENSION_VALUE = Pattern.compile("[\\x21-\\x3A\\x3C\\x3E-\\x7E]+");

    public TlsRptRecord {
        reportUris = List.copyOf(reportUris);
        if (reportUris.isEmpty()) {
            throw new IllegalArgumentException("a TLS-RPT record needs at least one report URI");
        }
    }

    /** The owner name of the record: {@code _smtp._tls.<policy domain>} (RFC 8460 3). */
    public static String queryName(String policyDomain) {
        String domain = policyDomain.endsWith(".") ? policyDomain.substring(0, policyDomain.length() - 1) : policyDomain;
        return "_smtp._tls." + domain;
    }

    /**
     * Reads the TXT answer for {@link #queryName(String)}.
     *
     * @param txtRecords one element per TXT record, its character-strings already joined without
     *                   spaces (RFC 8460 3: "treated as if those strings are concatenated")
     * @return the record, or empty when no record, several records, or an invalid one was published,
     *         or when it names no mailto or https URI
     */
    public static Optional<TlsRptRecord> parse(List<String> txtRecords) {
        // RFC 8460 3: records not beginning with the version are discarded; if the number left is
        // not exactly one, the domain does not implement TLS-RPT. Two versioned records of which one
        // is broken therefore mean "none" too.
        List<String> versioned = txtRecords.stream().filter(TlsRptRecord::startsWithVersion).toList();
        if (versioned.size() != 1) {
            return Optional.empty();
        }
        return parseRecord(versioned.getFirst());
    }

    /** The mailbox addresses of the mailto URIs (RFC 6068), percent-decoded, without URI headers. */
    public List<String> mailtoAddresses() {
        List<String> addresses = new ArrayList<>();
        for (URI uri : reportUris) {
            if (uri.getScheme().equalsIgnoreCase("mailto")) {
                addresses.addAll(mailboxesOf(uri));
            }
        }
        return List.copyOf(addresses);
    }

    /** The https URIs, to POST reports to (RFC 8460 5.4). */
    public List<URI> httpsUris() {
        return reportUris.stream().filter(uri -> uri.getScheme().equalsIgnoreCase("https")).toList();
    }

    private static boolean startsWithVersion(String record) {
        if (!record.startsWith(VERSION)) {
            return false;
        }
        String rest = record.substring(VERSION.length()).stripLeading();
        return rest.startsWith(";");
    }

    private static Optional<TlsRptRecord> parseRecord(String record) {
        String[] fields = FIELD_DELIMITER.split(record, -1);
        List<URI> uris = null;
        for (int i = 1; i < fields.length; i++) {
            String field = fields[i];
            if (field.isEmpty()) {
                // RFC 8460 3: one optional delimiter may end the record; empty fields elsewhere are invalid
                if (i == fields.length - 1 && i > 1) {
                    continue;
                }
                return Optional.empty();
            }
            int equals = field.indexOf('=');
            if (equals < 1) {
                return Optional.empty();
            }
            String name = field.substring(0, equals);
            String value = field.substring(equals + 1);
            if (name.equals("rua")) {
                if (uris != null) {
                    // Not allowed by the grammar's intent; two rua fields are ambiguous, so no reporting.
                    return Optional.empty();
                }
                Optional<List<URI>> parsed = parseUris(value);
                if (parsed.isEmpty()) {
                    return Optional.empty();
                }
                uris = parsed.get();
            } else if (!EXTENSION_NAME.matcher(name).matches() || !EXTENSION_VALUE.matcher(value).matches()) {
                return Optional.empty();
            }
            // RFC 8460 3: unknown extension fields are ignored
        }
        if (uris == null) {
            return Optional.empty(); // RFC 8460 3: rua is required
        }
        List<URI> usable = uris.stream().filter(TlsRptRecord::isUsable).toList();
        return usable.isEmpty() ? Optional.empty() : Optional.of(new TlsRptRecord(usable));
    }

    private static Optional<List<URI>> parseUris(String value) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        List<URI> uris = new ArrayList<>();
        for (String text : URI_DELIMITER.split(value, -1)) {
            try {
                URI uri = new URI(text);
                if (uri.getScheme() == null) {
                    return Optional.empty();
                }
                uris.add(uri);
            } catch (URISyntaxException e) {
                return Optional.empty();
            }
        }
        return Optional.of(uris);
    }

    // RFC 8460 3: "Two URI schemes are supported: mailto and https"; others are skipped, not fatal.
    private static boolean isUsable(URI uri) {
        return switch (uri.getScheme().toLowerCase(Locale.ROOT)) {
            case "mailto" -> !mailboxesOf(uri).isEmpty();
            case "https" -> uri.getHost() != null;
            default -> false;
        };
    }

    private static List<String> mailboxesOf(URI uri) {
        String to = uri.getSchemeSpecificPart();
        int query = to.indexOf('?');
        if (query >= 0) {
            to = to.substring(0, query);
        }
        List<String> mailboxes = new ArrayList<>();
        for (String address : to.split(",")) {
            String trimmed = address.strip();
            int at = trimmed.lastIndexOf('@');
            if (at > 0 && at < trimmed.length() - 1) {
                mailboxes.add(trimmed);
            }
        }
        return mailboxes;
    }
}
