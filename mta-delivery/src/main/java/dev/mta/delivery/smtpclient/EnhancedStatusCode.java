package dev.mta.delivery.smtpclient;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the RFC 3463 enhanced status code at the start of a reply's text. */
final class EnhancedStatusCode {
    // RFC 3463 2: class "." subject "." detail, subject and detail 1 to 3 digits.
    private static final Pattern CODE = Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})(?=[ \\t]|$)");

    private EnhancedStatusCode() {
    }

    /**
     * The code at the start of {@code text}, if there is one and its class agrees with the reply
     * code's first digit (RFC 2034 4: a 2yz reply carries 2.x.x); a mismatch is ignored as noise.
     */
    static Optional<String> find(int replyCode, String text) {
        Matcher matcher = CODE.matcher(text);
        if (!matcher.find() || matcher.group(1).charAt(0) - '0' != replyCode / 100) {
            return Optional.empty();
        }
        return Optional.of(matcher.group());
    }
}
