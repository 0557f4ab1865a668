package dev.mta.testsupport.smtp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * One message the sink accepted.
 *
 * @param heloName       the EHLO or HELO argument in force
 * @param mailFrom       the reverse-path without angle brackets (empty for the null sender)
 * @param mailParameters the MAIL FROM parameters as sent ({@code SIZE=1234}, {@code BODY=8BITMIME})
 * @param recipients     the accepted forward-paths without angle brackets, in RCPT order
 * @param data           the message as received, dot-stuffing removed, without the final {@code .CRLF}
 * @param tls            the TLS session the message came over, empty for clear text
 */
public record ReceivedMessage(String heloName, String mailFrom, List<String> mailParameters,
                              List<String> recipients, byte[] data, Optional<TlsDetails> tls) {

    public ReceivedMessage {
        mailParameters = List.copyOf(mailParameters);
        recipients = List.copyOf(recipients);
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The data decoded as UTF-8, for assertions on headers and text. */
    public String dataAsString() {
        return new String(data, StandardCharsets.UTF_8);
    }
}
