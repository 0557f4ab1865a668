package dev.mta.server.sendmail;

import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the command line asked for, for one message.
 *
 * @param recipients        the recipient arguments, each possibly an address list
 * @param fromHeader        -t: take recipients from To, Cc and Bcc as well
 * @param sender            -f or -r; empty: the invoking user; "" or "<>": the null sender
 * @param fullName          -F, else the NAME environment variable, for a generated From
 * @param notifyOn          -N: the NOTIFY of every recipient (RFC 3461 4.1); empty set: not given
 * @param dsnReturn         -R (RFC 3461 4.3)
 * @param dsnEnvelopeId     -V (RFC 3461 4.4)
 * @param user              the invoking user's login name
 */
public record SendmailRequest(List<String> recipients, boolean fromHeader, Optional<String> sender,
                              Optional<String> fullName, Set<EnvelopeRecipient.Notify> notifyOn,
                              Optional<Envelope.DsnReturn> dsnReturn, Optional<String> dsnEnvelopeId, String user) {

    public SendmailRequest {
        recipients = List.copyOf(recipients);
        notifyOn = Set.copyOf(notifyOn);
    }
}
