package dev.mta.delivery.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.delivery.attempt.AttemptResult;
import dev.mta.delivery.attempt.DeliveryOutcome;
import dev.mta.delivery.attempt.Via;
import dev.mta.queue.ClaimedRecipient;
import dev.mta.queue.Diagnosis;
import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientRef;
import dev.mta.queue.Settlement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every attempt logs one line with what a postmaster greps for. */
class DeliveryLogTest {

    @Test
    void theLineCarriesIdRecipientRelayDelayTlsStatusAndReply() {
        Instant received = Instant.parse("2026-11-23T10:00:00Z");
        Envelope envelope = new Envelope("alice@sender.example", List.of(EnvelopeRecipient.of("bob@example.org")),
                Envelope.BodyType.SEVEN_BIT, false, Optional.empty(), Optional.empty(),
                new Envelope.ClientInfo("192.0.2.1", "c.test", Optional.empty()), received);
        QueueId id = QueueId.parse("ABCDEFGHJK23");
        ClaimedRecipient claimed = new ClaimedRecipient(new RecipientRef(id, 0), envelope,
                envelope.recipients().getFirst(), 0, received.plusSeconds(600));
        Diagnosis diagnosis = Diagnosis.remote("2.0.0", "250 2.0.0 Ok: queued as 4XyZ", "mx1.example.org");
        AttemptResult result = new AttemptResult(claimed, new DeliveryOutcome.Delivered(diagnosis, true),
                new Via("mx1.example.org[192.0.2.25]:25", "dane-ta:TLSv1.3:TLS_AES_256_GCM_SHA384"));

        String line = DeliveryLog.line(result, new Settlement.Delivered(diagnosis, false), received.plusMillis(1_250));

        assertThat(line).isEqualTo("id=ABCDEFGHJK23 to=<bob@example.org> relay=mx1.example.org[192.0.2.25]:25"
                + " delay=1.3s tls=dane-ta:TLSv1.3:TLS_AES_256_GCM_SHA384 dsn=2.0.0 status=sent (250 2.0.0 Ok: queued as 4XyZ)");
    }
}
