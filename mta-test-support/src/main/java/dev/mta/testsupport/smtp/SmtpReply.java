package dev.mta.testsupport.smtp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMTP reply (RFC 5321 4.2), possibly of several lines.
 *
 * @param code  the three-digit reply code
 * @param lines the text of each line, without the code and separator
 * @param raw   the reply exactly as received, CRLFs included
 */
public record SmtpReply(int code, List<String> lines, String raw) {
    // RFC 3463 2: class.subject.detail at the start of the text.
    private static final Pattern ENHANCED_STATUS = Pattern.compile("^([245]\\.\\d{1,3}\\.\\d{1,3})(?: |$)");

    public SmtpReply {
        lines = List.copyOf(lines);
    }

    /** All lines' text joined with a line feed. */
    public String text() {
        return String.join("\n", lines);
    }

    /** The enhanced status code at the start of the first line, if there is one. */
    public Optional<String> enhancedStatus() {
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        Matcher matcher = ENHANCED_STATUS.matcher(lines.getFirst());
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** 2yz: the command succeeded. */
    public boolean isPositiveCompletion() {
        return code / 100 == 2;
    }

    /** 3yz: go on (354 after DATA, 334 during AUTH). */
    public boolean isPositiveIntermediate() {
        return code / 100 == 3;
    }

    /** 4yz: try again later. */
    public boolean isTransientFailure() {
        return code / 100 == 4;
    }

    /** 5yz: do not try again. */
    public boolean isPermanentFailure() {
        return code / 100 == 5;
    }

    /**
     * The EHLO keywords (RFC 5321 4.1.1.1), upper-cased: the first word of every line after the
     * greeting line.
     */
    public Set<String> extensionKeywords() {
        Set<String> keywords = new LinkedHashSet<>();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] words = line.trim().split("\\s+");
            if (!words[0].isEmpty()) {
                keywords.add(words[0].toUpperCase(Locale.ROOT));
            }
        }
        return keywords;
    }

    /**
     * The parameters an EHLO reply gives after a keyword ({@code SIZE 10240000} gives
     * {@code ["10240000"]}), or empty when the keyword is not advertised.
     */
    public Optional<List<String>> extensionParameters(String keyword) {
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] words = line.trim().split("\\s+");
            if (words[0].equalsIgnoreCase(keyword)) {
                return Optional.of(new ArrayList<>(List.of(words).subList(1, words.length)));
            }
        }
        return Optional.empty();
    }
}
