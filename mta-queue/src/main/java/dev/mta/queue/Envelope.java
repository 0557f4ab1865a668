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
 * @param origin       who wrote it: a client, or the relay itself (a DSN, a notice to the postmaster)
 * @param requireTls   MAIL carried REQUIRETLS (RFC 8689): deliver only over authenticated TLS to
 *                     hops that take the requirement on
 */
public record Envelope(
        String sender,
        List<EnvelopeRecipient> recipients,
        BodyType bodyType,
        boolean smtpUtf8,
        Optional<DsnReturn> dsnReturn,
        Optional<String> dsnEnvelopeId,
        ClientInfo client,
        Instant receivedAt,
        Origin origin,
        boolean requireTls) {

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
        Objects.requireNonNull(origin, "origin");
        if (origin == Origin.DELIVERY_NOTICE && !sender.isEmpty()) {
            // RFC 3461 6.2, RFC 5321 4.5.5: a DSN goes out with the null reverse-path.
            throw new IllegalArgumentException("a delivery notice must have the null sender, not " + sender);
        }
    }

    /** Without REQUIRETLS. */
    public Envelope(String sender, List<EnvelopeRecipient> recipients, BodyType bodyType, boolean smtpUtf8,
            Optional<DsnReturn> dsnReturn, Optional<String> dsnEnvelopeId, ClientInfo client, Instant receivedAt,
            Origin origin) {
        this(sender, recipients, bodyType, smtpUtf8, dsnReturn, dsnEnvelopeId, client, receivedAt, origin, false);
    }

    /** A message submitted by a client (the SMTP listener and sendmail build these). */
    public Envelope(String sender, List<EnvelopeRecipient> recipients, BodyType bodyType, boolean smtpUtf8,
            Optional<DsnReturn> dsnReturn, Optional<String> dsnEnvelopeId, ClientInfo client, Instant receivedAt) {
        this(sender, recipients, bodyType, smtpUtf8, dsnReturn, dsnEnvelopeId, client, receivedAt, Origin.SUBMITTED, false);
    }

    public boolean hasNullSender() {
        return sender.isEmpty();
    }

    /**
     * Whether the relay wrote this message itself: such a message has the notice lifetime. Only
     * the null-sender ones are never answered by a DSN; a TLS report has a sender.
     */
    public boolean isNotice() {
        return origin != Origin.SUBMITTED;
    }

    /**
     * Who wrote a message. A notice is never answered by another notice (RFC 3461 4.1: "never
     * bounce a bounce"; RFC 5321 4.5.5), and notices have a queue lifetime of their own.
     */
    public enum Origin {
        /** From a client over SMTP or the sendmail command. */
        SUBMITTED,
        /** A DSN or delay warning the relay wrote to a sender (RFC 3464). */
        DELIVERY_NOTICE,
        /** A notice the relay wrote to its postmaster, such as an undeliverable DSN. */
        POSTMASTER_NOTICE,
        /**
         * An aggregate TLS report the relay wrote to a policy domain's mailto rua (RFC 8460 5.3).
         * It comes from the reporting contact, not the null sender, so a report that cannot be
         * delivered is bounced to the people who run reporting; it has the notice lifetime.
         */
        TLS_REPORT
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
