package dev.mta.delivery.dsn;

import java.util.Objects;

/**
 * What the lead needs to queue a DSN once it is written: the DSN goes out with MAIL FROM:&lt;&gt;
 * (RFC 5321 4.5.5) to the original sender, with these flags.
 *
 * @param messageId    the Message-ID written, without angle brackets, for the log
 * @param returned     how much of the original the third part carries
 * @param eightBitMime the DSN holds 8-bit octets: queue it with BODY=8BITMIME (RFC 6152)
 * @param smtpUtf8     the DSN is an international one (RFC 6533): queue it with SMTPUTF8 (RFC 6531)
 */
public record ComposedDsn(String messageId, ReturnContent returned, boolean eightBitMime, boolean smtpUtf8) {
    public ComposedDsn {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(returned, "returned");
    }
}
