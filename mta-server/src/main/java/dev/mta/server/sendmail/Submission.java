package dev.mta.server.sendmail;

import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import java.util.List;
import java.util.Optional;

/**
 * A completed local submission: the envelope and the message as it will be queued (CRLF line
 * endings).
 */
public record Submission(String sender, List<EnvelopeRecipient> recipients, Envelope.BodyType bodyType,
                         boolean smtpUtf8, Optional<Envelope.DsnReturn> dsnReturn, Optional<String> dsnEnvelopeId,
                         byte[] content) {

    public Submission {
        recipients = List.copyOf(recipients);
        content = content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }
}
