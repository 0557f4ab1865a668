package dev.mta.server.tlsrpt;

import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.MessageStore;
import dev.mta.queue.QueueId;
import dev.mta.queue.StoreException;
import dev.mta.security.tlsrpt.ReportMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Puts a mailed report into the relay's own queue, as the notifier does with a DSN: the body as
 * composed, one envelope to every mailto recipient, so the report is delivered like any mail
 * (and with the relaxed TLS its {@code TLS-Required: No} asks for, RFC 8460 5.3).
 */
final class ReportMailQueue {
    private final MessageStore queue;
    private final String hostname;

    ReportMailQueue(MessageStore queue, String hostname) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.hostname = Objects.requireNonNull(hostname, "hostname");
    }

    /** Queues the message durably and returns its queue id. */
    QueueId queue(ReportMessage message, Instant now) throws StoreException, IOException {
        try (IncomingMessage incoming = queue.receive()) {
            try (OutputStream body = incoming.body()) {
                body.write(message.content());
            }
            boolean international = Stream.concat(Stream.of(message.envelopeSender()), message.recipients().stream())
                    .anyMatch(address -> !address.chars().allMatch(c -> c < 0x80));
            incoming.commit(new Envelope(message.envelopeSender(),
                    message.recipients().stream().map(EnvelopeRecipient::of).toList(),
                    // TlsRptMail writes 7-bit text with the report base64-encoded
                    Envelope.BodyType.SEVEN_BIT,
                    // RFC 6531 3.4: a non-ASCII mailbox needs SMTPUTF8 at every hop
                    international,
                    // a bounce need not return the gzipped report, its headers say which report it was
                    Optional.of(Envelope.DsnReturn.HDRS), Optional.empty(),
                    new Envelope.ClientInfo("127.0.0.1", hostname, Optional.empty()), now, Envelope.Origin.TLS_REPORT));
            return incoming.id();
        }
    }
}
