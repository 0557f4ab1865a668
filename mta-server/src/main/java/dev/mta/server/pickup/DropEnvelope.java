package dev.mta.server.pickup;

import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the sendmail command says about a message it drops: the same envelope an SMTP client
 * gives with MAIL and RCPT, plus the local user who ran the command.
 *
 * @param sender        the reverse path, empty string for the null sender
 * @param recipients    forward paths, at least one, each with its optional DSN requests
 * @param bodyType      7bit or 8bitmime (RFC 6152)
 * @param smtpUtf8      the message needs SMTPUTF8 (RFC 6531); required when an address is not ASCII
 * @param dsnReturn     RET (RFC 3461 4.3), if asked for
 * @param dsnEnvelopeId ENVID (RFC 3461 4.4), if given
 * @param submitter     the local user who submitted it
 */
public record DropEnvelope(
        String sender,
        List<EnvelopeRecipient> recipients,
        Envelope.BodyType bodyType,
        boolean smtpUtf8,
        Optional<Envelope.DsnReturn> dsnReturn,
        Optional<String> dsnEnvelopeId,
        Submitter submitter) {

    public DropEnvelope {
        Objects.requireNonNull(sender, "sender");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(bodyType, "bodyType");
        Objects.requireNonNull(dsnReturn, "dsnReturn");
        Objects.requireNonNull(dsnEnvelopeId, "dsnEnvelopeId");
        Objects.requireNonNull(submitter, "submitter");
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a dropped message needs at least one recipient");
        }
        if (!sender.isEmpty()) {
            DropValues.requireMailbox(sender, smtpUtf8, "sender");
        }
        for (EnvelopeRecipient recipient : recipients) {
            DropValues.requireMailbox(recipient.address(), smtpUtf8, "recipient");
            recipient.originalRecipient().ifPresent(o -> DropValues.requireLineSafe(o, "ORCPT"));
        }
        // RFC 3461 4.4: ENVID is printable US-ASCII once xtext-decoded
        dsnEnvelopeId.ifPresent(id -> DropValues.requirePrintableAscii(id, "ENVID"));
    }

    /** A plain submission: no DSN requests, 7bit unless the caller says otherwise. */
    public static DropEnvelope of(String sender, List<String> recipients, Envelope.BodyType bodyType, Submitter submitter) {
        boolean international = !DropValues.isAscii(sender) || recipients.stream().anyMatch(r -> !DropValues.isAscii(r));
        return new DropEnvelope(sender, recipients.stream().map(EnvelopeRecipient::of).toList(), bodyType,
                international, Optional.empty(), Optional.empty(), submitter);
    }

    public boolean hasNullSender() {
        return sender.isEmpty();
    }

    /**
     * The local account that ran sendmail, as the operating system reported it.
     *
     * @param name the login name
     * @param uid  the numeric user id, -1 when the platform has none
     */
    public record Submitter(String name, long uid) {
        public Submitter {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty() || !name.codePoints().allMatch(c -> c > 0x20 && c != 0x7f)) {
                throw new IllegalArgumentException("not a user name: " + name);
            }
        }
    }
}
