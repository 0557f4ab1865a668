package dev.mta.testsupport.smtp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One message the sink accepted.
 *
 * @param heloName            the EHLO or HELO argument in force
 * @param mailFrom            the reverse-path without angle brackets (empty for the null sender)
 * @param mailParameters      the MAIL FROM parameters as sent ({@code SIZE=1234}, {@code BODY=8BITMIME})
 * @param recipients          the accepted forward-paths without angle brackets, in RCPT order
 * @param data                the message as received, dot-stuffing removed, without the final
 *                            {@code .CRLF}; empty when the sink was built to discard data
 * @param tls                 the TLS session the message came over, empty for clear text
 * @param recipientParameters the RCPT TO parameters of each accepted recipient, in RCPT order
 *                            ({@code NOTIFY=SUCCESS,FAILURE}, {@code ORCPT=rfc822;bob@example.com})
 * @param authenticatedUser   the AUTH identity of the session, if the client authenticated
 * @param connection          the number of the connection the message came over (see {@link ConnectionLog})
 * @param dataSize            how many octets of data arrived (after un-stuffing), kept or not
 * @param dataSha256          the SHA-256 of those octets in lower-case hex, kept or not
 */
public record ReceivedMessage(String heloName, String mailFrom, List<String> mailParameters,
                              List<String> recipients, byte[] data, Optional<TlsDetails> tls,
                              Map<String, List<String>> recipientParameters, Optional<String> authenticatedUser,
                              int connection, long dataSize, String dataSha256) {

    public ReceivedMessage {
        mailParameters = List.copyOf(mailParameters);
        recipients = List.copyOf(recipients);
        data = data.clone();
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        recipientParameters.forEach((address, values) -> parameters.put(address, List.copyOf(values)));
        recipientParameters = Collections.unmodifiableMap(parameters);
    }

    /** A message with its data kept, no RCPT parameters, no AUTH, from connection 1. */
    public ReceivedMessage(String heloName, String mailFrom, List<String> mailParameters,
                           List<String> recipients, byte[] data, Optional<TlsDetails> tls) {
        this(heloName, mailFrom, mailParameters, recipients, data, tls, Map.of(), Optional.empty(), 1,
                data.length, sha256(data));
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The data decoded as UTF-8, for assertions on headers and text. */
    public String dataAsString() {
        return new String(data, StandardCharsets.UTF_8);
    }

    static String sha256(byte[] data) {
        MessageDigest digest = newSha256();
        return HexFormat.of().formatHex(digest.digest(data));
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
