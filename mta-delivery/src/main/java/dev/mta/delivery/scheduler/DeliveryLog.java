package dev.mta.delivery.scheduler;

import dev.mta.delivery.attempt.AttemptResult;
import dev.mta.queue.Settlement;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per recipient and attempt, in the spirit of Postfix's smtp log line:
 * {@code id=.. to=<..> relay=mx[addr]:25 delay=3.1s tls=dane-ta:TLSv1.3:... dsn=2.0.0 status=sent (reply)}.
 */
final class DeliveryLog {
    private static final Logger LOG = LoggerFactory.getLogger("dev.mta.delivery");

    private DeliveryLog() {
    }

    static String line(AttemptResult result, Settlement settlement, Instant now) {
        Duration delay = Duration.between(result.recipient().envelope().receivedAt(), now);
        String status = switch (settlement) {
            case Settlement.Delivered ignored -> "sent";
            case Settlement.Deferred ignored -> "deferred";
            case Settlement.Bounced ignored -> "bounced";
        };
        return "id=" + result.recipient().ref().message()
                + " to=<" + result.recipient().recipient().address() + ">"
                + " relay=" + result.via().relay()
                + " delay=" + String.format(Locale.ROOT, "%.1fs", Math.max(0, delay.toMillis()) / 1000.0)
                + " tls=" + result.via().tls()
                + " dsn=" + settlement.diagnosis().status()
                + " status=" + status
                + " (" + settlement.diagnosis().text() + ")";
    }

    static void log(AttemptResult result, Settlement settlement, Instant now) {
        String line = line(result, settlement, now);
        if (settlement instanceof Settlement.Delivered) {
            LOG.info(line);
        } else {
            LOG.warn(line);
        }
    }
}
