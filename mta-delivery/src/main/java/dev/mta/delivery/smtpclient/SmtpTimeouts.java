package dev.mta.delivery.smtpclient;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How long the client waits at each stage before it gives up with {@link DeliveryError.Timeout}.
 * AUTH uses {@code ehlo}; RSET uses {@code mail}; QUIT waits {@link SmtpClientSettings#quitTimeout()}.
 *
 * @param connect   opening the TCP connection
 * @param greeting  the 220 greeting (RFC 5321 4.5.3.2.1)
 * @param ehlo      the EHLO or HELO reply
 * @param starttls  the STARTTLS reply, then again the TLS handshake
 * @param mail      the MAIL reply (RFC 5321 4.5.3.2.2)
 * @param rcpt      each RCPT reply (RFC 5321 4.5.3.2.3)
 * @param data      the 354 reply to DATA (RFC 5321 4.5.3.2.4)
 * @param dataBlock sending the content with no progress at all (RFC 5321 4.5.3.2.5)
 * @param endOfData the reply to the final {@code .} (RFC 5321 4.5.3.2.6)
 */
public record SmtpTimeouts(Duration connect, Duration greeting, Duration ehlo, Duration starttls, Duration mail,
                           Duration rcpt, Duration data, Duration dataBlock, Duration endOfData) {

    public SmtpTimeouts {
        for (Duration timeout : List.of(connect, greeting, ehlo, starttls, mail, rcpt, data, dataBlock, endOfData)) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive: " + timeout);
            }
        }
    }

    /**
     * RFC 5321 4.5.3.2: greeting 5 min, MAIL 5 min, RCPT 5 min, DATA 2 min, data block 3 min,
     * end of data 10 min; EHLO 5 min like MAIL; STARTTLS 2 min; connect 30 s.
     */
    public static SmtpTimeouts defaults() {
        return new SmtpTimeouts(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(5),
                Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(2),
                Duration.ofMinutes(3), Duration.ofMinutes(10));
    }

    /** The same timeout at every stage. */
    public static SmtpTimeouts uniform(Duration timeout) {
        return new SmtpTimeouts(timeout, timeout, timeout, timeout, timeout, timeout, timeout, timeout, timeout);
    }

    /** The timeout that applies to a reply (or, for {@link Stage#BODY}, to progress) at this stage. */
    public Duration at(Stage stage) {
        return switch (stage) {
            case CONNECT -> connect;
            case GREETING -> greeting;
            case EHLO, HELO, AUTH -> ehlo;
            case STARTTLS -> starttls;
            case MAIL, RSET, QUIT -> mail; // QUIT: the client waits quitTimeout instead
            case RCPT -> rcpt;
            case DATA -> data;
            case BODY -> dataBlock;
            case END_OF_DATA -> endOfData;
        };
    }

    /** A copy with the timeout for this stage (and the stages that share it) replaced. */
    public SmtpTimeouts with(Stage stage, Duration timeout) {
        return switch (stage) {
            case CONNECT -> new SmtpTimeouts(timeout, greeting, ehlo, starttls, mail, rcpt, data, dataBlock, endOfData);
            case GREETING -> new SmtpTimeouts(connect, timeout, ehlo, starttls, mail, rcpt, data, dataBlock, endOfData);
            case EHLO, HELO, AUTH -> new SmtpTimeouts(connect, greeting, timeout, starttls, mail, rcpt, data, dataBlock, endOfData);
            case STARTTLS -> new SmtpTimeouts(connect, greeting, ehlo, timeout, mail, rcpt, data, dataBlock, endOfData);
            case MAIL, RSET, QUIT -> new SmtpTimeouts(connect, greeting, ehlo, starttls, timeout, rcpt, data, dataBlock, endOfData);
            case RCPT -> new SmtpTimeouts(connect, greeting, ehlo, starttls, mail, timeout, data, dataBlock, endOfData);
            case DATA -> new SmtpTimeouts(connect, greeting, ehlo, starttls, mail, rcpt, timeout, dataBlock, endOfData);
            case BODY -> new SmtpTimeouts(connect, greeting, ehlo, starttls, mail, rcpt, data, timeout, endOfData);
            case END_OF_DATA -> new SmtpTimeouts(connect, greeting, ehlo, starttls, mail, rcpt, data, dataBlock, timeout);
        };
    }
}
