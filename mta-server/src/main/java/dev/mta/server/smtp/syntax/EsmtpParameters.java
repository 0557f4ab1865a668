package dev.mta.server.smtp.syntax;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code esmtp-param} list after a MAIL or RCPT path (RFC 5321 4.1.2): keywords are
 * case-insensitive and may appear once; values are kept as sent.
 */
public final class EsmtpParameters {
    private final Map<String, Optional<String>> values;

    private EsmtpParameters(Map<String, Optional<String>> values) {
        this.values = values;
    }

    public static EsmtpParameters parse(String text) throws SyntaxException {
        Map<String, Optional<String>> values = new LinkedHashMap<>();
        String trimmed = text.strip();
        if (!trimmed.isEmpty() && !text.startsWith(" ")) {
            throw new SyntaxException("parameters must be separated from the address by a space");
        }
        if (trimmed.isEmpty()) {
            return new EsmtpParameters(values);
        }
        for (String token : trimmed.split(" +")) {
            int equals = token.indexOf('=');
            String keyword = (equals < 0 ? token : token.substring(0, equals)).toUpperCase(Locale.ROOT);
            if (!keyword.matches("[A-Z0-9][A-Z0-9-]*")) {
                throw new SyntaxException("invalid parameter keyword '" + keyword + "'");
            }
            Optional<String> value = Optional.empty();
            if (equals >= 0) {
                String raw = token.substring(equals + 1);
                if (raw.isEmpty() || !raw.chars().allMatch(c -> c >= 33 && c != '=' || c >= 0x80)) {
                    throw new SyntaxException("invalid value for parameter " + keyword);
                }
                value = Optional.of(raw);
            }
            if (values.put(keyword, value) != null) {
                throw new SyntaxException("parameter " + keyword + " given twice");
            }
        }
        return new EsmtpParameters(values);
    }

    public java.util.Set<String> keywords() {
        return values.keySet();
    }

    public boolean has(String keyword) {
        return values.containsKey(keyword);
    }

    /** The value of a keyword that must have one. */
    public Optional<String> value(String keyword) throws SyntaxException {
        Optional<String> value = values.get(keyword);
        if (value == null) {
            return Optional.empty();
        }
        if (value.isEmpty()) {
            throw new SyntaxException("parameter " + keyword + " needs a value");
        }
        return value;
    }

    /** Fails when a keyword that takes no value was given one (SMTPUTF8). */
    public boolean flag(String keyword) throws SyntaxException {
        Optional<String> value = values.get(keyword);
        if (value == null) {
            return false;
        }
        if (value.isPresent()) {
            throw new SyntaxException("parameter " + keyword + " takes no value");
        }
        return true;
    }
}
