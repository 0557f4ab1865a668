package dev.mta.queue;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A message's queue id: twelve characters of Crockford base32, unique per store and safe in
 * file names, log lines and SMTP replies. Like Postfix's long queue ids it is not a sequence,
 * so several relays sharing one store do not need to coordinate.
 */
public record QueueId(String value) {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final Pattern FORM = Pattern.compile("[0-9A-HJKMNP-TV-Z]{12}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public QueueId {
        Objects.requireNonNull(value, "value");
        if (!FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("not a queue id: " + value);
        }
    }

    public static QueueId random() {
        char[] chars = new char[12];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new QueueId(new String(chars));
    }

    /** Parses user input (for the queue commands), accepting lower case. */
    public static QueueId parse(String text) {
        return new QueueId(text.trim().toUpperCase(java.util.Locale.ROOT));
    }

    @Override
    public String toString() {
        return value;
    }
}
