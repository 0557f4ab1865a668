package dev.mta.server.smtp;

import dev.mta.queue.Envelope;
import java.util.Optional;
import java.util.OptionalLong;

/** An accepted MAIL FROM with its ESMTP parameters. {@code sender} is "" for the null path. */
record MailRequest(
        String sender,
        Envelope.BodyType bodyType,
        boolean smtpUtf8,
        Optional<Envelope.DsnReturn> dsnReturn,
        Optional<String> envelopeId,
        OptionalLong declaredSize,
        boolean requireTls) {

    boolean allowsEightBit() {
        return bodyType == Envelope.BodyType.EIGHT_BIT_MIME || smtpUtf8;
    }
}
