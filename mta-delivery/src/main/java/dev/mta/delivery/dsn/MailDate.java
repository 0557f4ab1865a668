package dev.mta.delivery.dsn;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** RFC 5322 3.3 date-time, in UTC with a numeric zone ("+0000", not the obsolete "GMT"). */
final class MailDate {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.US).withZone(ZoneOffset.UTC);

    private MailDate() {
    }

    static String format(Instant instant) {
        return FORMAT.format(instant);
    }
}
