package dev.mta.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.Diagnosis;
import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.MessageDetail;
import dev.mta.queue.MessageSummary;
import dev.mta.queue.NoticeKind;
import dev.mta.queue.QueueChange;
import dev.mta.queue.QueueId;
import dev.mta.queue.QueueSummary;
import dev.mta.queue.RecipientRef;
import dev.mta.queue.RecipientState;
import dev.mta.queue.RecipientStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the API writes, the CLI reads back unchanged, so both paths print the same. */
class QueueJsonTest {
    private static final Instant ARRIVAL = Instant.parse("2026-11-23T10:15:30.123456Z");
    private static final QueueId ID = QueueId.parse("0123456789AB");

    private static final RecipientStatus DEFERRED = new RecipientStatus(0, "Bob@example.org", RecipientState.DEFERRED, 3,
            Optional.of(ARRIVAL.plusSeconds(600)), Optional.of(ARRIVAL.plusSeconds(60)),
            Optional.of(Diagnosis.remote("4.3.2", "451 4.3.2 \"try\" later", "mx.example.org")), Optional.of(NoticeKind.DELAY), true);
    private static final RecipientStatus BOUNCED = new RecipientStatus(1, "carol@example.net", RecipientState.BOUNCED, 1,
            Optional.empty(), Optional.of(ARRIVAL), Optional.of(Diagnosis.local("5.4.4", "no route")), Optional.of(NoticeKind.FAILURE),
            false);
    private static final RecipientStatus QUEUED = new RecipientStatus(2, "dave@example.net", RecipientState.QUEUED, 0,
            Optional.of(ARRIVAL), Optional.empty(), Optional.empty(), Optional.empty(), false);

    private static <T> T roundTrip(com.fasterxml.jackson.databind.JsonNode written, java.util.function.Function<com.fasterxml.jackson.databind.JsonNode, T> read) {
        return read.apply(QueueJson.parse(QueueJson.write(written)));
    }

    @Test
    void aListingReadsBackAsWritten() {
        List<MessageSummary> messages = List.of(new MessageSummary(ID, "", 1234, ARRIVAL, List.of(DEFERRED, BOUNCED, QUEUED)),
                new MessageSummary(QueueId.parse("ZZZZZZZZZZZZ"), "alice@sender.example", 1, ARRIVAL, List.of(QUEUED)));
        assertThat(roundTrip(QueueJson.messages(messages), QueueJson::readMessages)).isEqualTo(messages);
    }

    @Test
    void aShownMessageReadsBackAsWrittenWithItsEnvelope() {
        Envelope envelope = new Envelope("alice@sender.example",
                List.of(new EnvelopeRecipient("Bob@example.org", Set.of(EnvelopeRecipient.Notify.FAILURE, EnvelopeRecipient.Notify.DELAY),
                        Optional.of("rfc822;bob@example.org")), EnvelopeRecipient.of("carol@example.net"),
                        EnvelopeRecipient.of("dave@example.net")),
                Envelope.BodyType.EIGHT_BIT_MIME, true, Optional.of(Envelope.DsnReturn.HDRS), Optional.of("env-42"),
                new Envelope.ClientInfo("192.0.2.7", "client.test", Optional.of("alice")), ARRIVAL, Envelope.Origin.SUBMITTED, true);
        ShownMessage header = new ShownMessage(new MessageDetail(ID, envelope, 99, List.of(DEFERRED, BOUNCED, QUEUED)), false,
                List.of("Subject: hi", "From: <alice@sender.example>"));
        assertThat(roundTrip(QueueJson.shown(header), QueueJson::readShown)).isEqualTo(header);
        ShownMessage whole = new ShownMessage(header.detail(), true, List.of("Subject: hi", "", "", "body", ""));
        assertThat(roundTrip(QueueJson.shown(whole), QueueJson::readShown)).isEqualTo(whole);
        ShownMessage empty = new ShownMessage(header.detail(), false, List.of());
        assertThat(roundTrip(QueueJson.shown(empty), QueueJson::readShown)).isEqualTo(empty);
    }

    @Test
    void aSummaryReadsBackAsWritten() {
        QueueSummary.DomainShape org = new QueueSummary.DomainShape("example.org",
                Map.of(RecipientState.DEFERRED, 2, RecipientState.HELD, 1), Map.of(QueueSummary.AgeBucket.UNDER_10M, 3));
        QueueSummary.DomainShape total = new QueueSummary.DomainShape("TOTAL",
                Map.of(RecipientState.DEFERRED, 2, RecipientState.HELD, 1, RecipientState.BOUNCED, 4),
                Map.of(QueueSummary.AgeBucket.UNDER_10M, 3, QueueSummary.AgeBucket.OVER_320M, 0));
        QueueSummary summary = new QueueSummary(ARRIVAL, 5, total, List.of(org),
                List.of(new QueueSummary.DeferralReason("451 4.3.2 try later", 2)));
        assertThat(roundTrip(QueueJson.summary(summary), QueueJson::readSummary)).isEqualTo(summary);
    }

    @Test
    void aChangeReadsBackAsWritten() {
        QueueChange change = new QueueChange(2, 3, List.of(new RecipientRef(ID, 1), new RecipientRef(ID, 2)));
        assertThat(roundTrip(QueueJson.change(change), QueueJson::readChange)).isEqualTo(change);
        assertThat(QueueJson.change(change).toString()).isEqualTo(
                "{\"messages\":2,\"recipients\":3,\"leased\":[{\"id\":\"0123456789AB\",\"index\":1},{\"id\":\"0123456789AB\",\"index\":2}]}");
    }

    @Test
    void aListingIsTheFormScriptsRead() {
        String written = QueueJson.messages(List.of(new MessageSummary(ID, "", 1234, ARRIVAL, List.of(DEFERRED)))).toString();
        assertThat(written).isEqualTo("[{\"id\":\"0123456789AB\",\"sender\":\"\",\"size\":1234,\"arrival\":\"2026-11-23T10:15:30.123456Z\","
                + "\"recipients\":[{\"index\":0,\"address\":\"Bob@example.org\",\"state\":\"deferred\",\"attempts\":3,"
                + "\"nextAttempt\":\"2026-11-23T10:25:30.123456Z\",\"lastAttempt\":\"2026-11-23T10:16:30.123456Z\",\"status\":\"4.3.2\","
                + "\"lastReply\":\"451 4.3.2 \\\"try\\\" later\",\"remoteMta\":\"mx.example.org\",\"noticePending\":\"delay\","
                + "\"delayWarned\":true}]}]");
    }
}
