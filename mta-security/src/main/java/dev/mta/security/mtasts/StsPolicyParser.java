package dev.mta.security.mtasts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a policy body (RFC 8461 3.2): key/value lines ending in LF or CRLF (the last one may
 * end without), {@code key ":" *WSP value *WSP}. Keys and the version and mode values are
 * case-sensitive. {@code version: STSv1}, {@code mode} and {@code max_age} are required once
 * each; {@code mx} may repeat and is required unless the mode is none. Keys this version does
 * not know are ignored if they are well formed. Anything else makes the whole policy invalid:
 * there is no partial policy.
 */
public final class StsPolicyParser {
    // RFC 8461 3.2 sts-policy-ext-name: also the shape of every known key.
    private static final Pattern LINE = Pattern.compile("([A-Za-z0-9][A-Za-z0-9_.-]{0,31}):[ \t]*(.*?)[ \t]*");
    // sts-policy-max-age-value = 1*10(DIGIT)
    private static final Pattern MAX_AGE = Pattern.compile("[0-9]{1,10}");
    // sts-policy-mx-value = ["*."] Domain, Domain as in RFC 5321 4.1.2.
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    private StsPolicyParser() {
    }

    public static ParseResult parse(String body) {
        Objects.requireNonNull(body, "body");
        if (body.isEmpty()) {
            return new ParseResult.Invalid("the policy is empty");
        }
        String text = body;
        // sts-policy-record ends with an optional sts-policy-term.
        if (text.endsWith("\r\n")) {
            text = text.substring(0, text.length() - 2);
        } else if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        String version = null;
        StsMode mode = null;
        Duration maxAge = null;
        Set<String> mx = new LinkedHashSet<>();
        Set<String> seen = new HashSet<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            int number = i + 1;
            Matcher matcher = LINE.matcher(line);
            if (line.isEmpty()) {
                return invalid(number, "empty line");
            }
            if (!matcher.matches()) {
                return invalid(number, "not a 'key: value' line");
            }
            String key = matcher.group(1);
            String value = matcher.group(2);
            if (value.isEmpty()) {
                return invalid(number, "no value for " + key);
            }
            if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
                return invalid(number, "control character in the value of " + key);
            }
            boolean known = switch (key) {
                case "version", "mode", "max_age", "mx" -> true;
                default -> false;
            };
            if (!known) {
                continue; // RFC 8461 3.2: unknown fields SHOULD be ignored
            }
            if (!key.equals("mx") && !seen.add(key)) {
                return invalid(number, key + " given more than once");
            }
            switch (key) {
                case "version" -> {
                    if (!value.equals("STSv1")) {
                        return invalid(number, "version is not STSv1: '" + value + "'");
                    }
                    version = value;
                }
                case "mode" -> {
                    Optional<StsMode> parsed = StsMode.ofToken(value);
                    if (parsed.isEmpty()) {
                        return invalid(number, "mode is not enforce, testing or none: '" + value + "'");
                    }
                    mode = parsed.get();
                }
                case "max_age" -> {
                    if (!MAX_AGE.matcher(value).matches()) {
                        return invalid(number, "max_age is not 1 to 10 digits: '" + value + "'");
                    }
                    long seconds = Long.parseLong(value);
                    if (seconds > StsPolicy.MAX_AGE_LIMIT.toSeconds()) {
                        return invalid(number, "max_age " + seconds + " exceeds " + StsPolicy.MAX_AGE_LIMIT.toSeconds());
                    }
                    maxAge = Duration.ofSeconds(seconds);
                }
                default -> {
                    if (!isMxPattern(value)) {
                        return invalid(number, "mx is not a host name or *.domain: '" + value + "'");
                    }
                    mx.add(value.toLowerCase(Locale.ROOT));
                }
            }
        }
        if (version == null) {
            return new ParseResult.Invalid("no version");
        }
        if (mode == null) {
            return new ParseResult.Invalid("no mode");
        }
        if (maxAge == null) {
            return new ParseResult.Invalid("no max_age");
        }
        if (mx.isEmpty() && mode != StsMode.NONE) {
            return new ParseResult.Invalid("no mx in mode " + mode.token());
        }
        return new ParseResult.Valid(mode, new ArrayList<>(mx), maxAge);
    }

    private static boolean isMxPattern(String value) {
        String domain = value.startsWith("*.") ? value.substring(2) : value;
        if (domain.isEmpty() || domain.length() > 253) {
            return false;
        }
        for (String label : domain.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private static ParseResult invalid(int line, String problem) {
        return new ParseResult.Invalid("line " + line + ": " + problem);
    }
}
