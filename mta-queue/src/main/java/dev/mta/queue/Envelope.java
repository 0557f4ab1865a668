package dev.mta.queue;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the SMTP transaction said about a message, kept with it in the queue.
 *
 * @param sender       the reverse path, empty string for the null sender {@code <>}
 * @param recipients   forward paths in the order the client gave them, with their DSN requests
 * @param bodyType     the BODY parameter of MAIL (RFC 6152)
 * @param smtpUtf8     whether MAIL carried SMTPUTF8 (RFC 6531)
 * @param dsnReturn    RET of MAIL (RFC 3461 4.3), if given
 * @param dsnEnvelopeId ENVID of MAIL (RFC 3461 4.4) as xtext-decoded text, if given
 * @param client       who submitted it: address, HELO name, authenticated user
 * @param receivedAt   when the end of data arrived
 */
public record Envelope(
        String sender,
        List<EnvelopeRecipient> recipients,
        BodyType bodyType,
        boolean smtpUtf8,
        Optional<DsnReturn> dsnReturn,
        Optional<String> dsnEnvelopeId,
        ClientInfo client,
        Instant receivedAt) {

    public Envelope {
        Objects.requireNonNull(sender, "sender");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("an envelope needs at least one recipient");
        }
        Objects.requireNonNull(bodyType, "bodyType");
        Objects.requireNonNull(dsnReturn, "dsnReturn");
        Objects.requireNonNull(dsnEnvelopeId, "dsnEnvelopeId");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    public boolean hasNullSender() {
        return sender.isEmpty();
    }

    /** RFC 6152 / RFC 3030 body types. */
    public enum BodyType { SEVEN_BIT, EIGHT_BIT_MIME }

    /** RFC 3461 4.3. */
    public enum DsnReturn { FULL, HDRS }

    /**
     * @param address       the client's IP address as text
     * @param heloName      the EHLO/HELO argument
     * @param authenticatedUser the AUTH identity, empty when none
     */
    public record ClientInfo(String address, String heloName, Optional<String> authenticatedUser) {
        public ClientInfo {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(heloName, "heloName");
            Objects.requireNonNull(authenticatedUser, "authenticatedUser");
        }
    }
}
