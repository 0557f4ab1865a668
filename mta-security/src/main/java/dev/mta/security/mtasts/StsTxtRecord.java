package dev.mta.security.mtasts;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code _mta-sts.<domain>} TXT record (RFC 8461 3.1): it says a policy exists and names its
 * version by {@code id}. A changed id tells a sender to fetch the policy again.
 *
 * @param id 1 to 32 letters and digits
 */
public record StsTxtRecord(String id) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,32}");
    // sts-ext-name and sts-ext-value
    private static final Pattern EXTENSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}=[\\x21-\\x3A\\x3C\\x3E-\\x7E]+");
    // Records that do not begin with "v=STSv1;" are discarded (sts-field-delim allows WSP before ';').
    private static final Pattern STS_RECORD = Pattern.compile("v=STSv1[ \t]*;.*", Pattern.DOTALL);

    public StsTxtRecord {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not an MTA-STS id: '" + id + "'");
        }
    }

    /**
     * RFC 8461 3.1: of the TXT records at {@code _mta-sts.<domain>} (each given as its strings
     * joined), those that begin with {@code v=STSv1;} count; unless exactly one does and it is
     * valid, the domain has no policy to discover.
     */
    public static Optional<StsTxtRecord> discover(List<String> txtRecords) {
        List<String> candidates = txtRecords.stream().filter(text -> STS_RECORD.matcher(text).matches()).toList();
        return candidates.size() == 1 ? parse(candidates.getFirst()) : Optional.empty();
    }

    /**
     * One record: {@code v=STSv1} first, then fields separated by {@code ;} with optional
     * whitespace around it, an optional {@code ;} at the end; exactly one {@code id=}, extension
     * fields ignored if well formed. Keys are case-sensitive.
     */
    public static Optional<StsTxtRecord> parse(String text) {
        Objects.requireNonNull(text, "text");
        String[] fields = text.split("[ \t]*;[ \t]*", -1);
        if (fields.length < 2 || !fields[0].equals("v=STSv1")) {
            return Optional.empty();
        }
        String id = null;
        for (int i = 1; i < fields.length; i++) {
            String field = fields[i];
            if (field.isEmpty() && i == fields.length - 1 && i > 1) {
                break; // the optional trailing sts-field-delim
            }
            if (field.startsWith("id=")) {
                String value = field.substring(3);
                if (id != null || !ID.matcher(value).matches()) {
                    return Optional.empty();
                }
                id = value;
            } else if (!EXTENSION.matcher(field).matches()) {
                return Optional.empty();
            }
        }
        return id == null ? Optional.empty() : Optional.of(new StsTxtRecord(id));
    }
}
