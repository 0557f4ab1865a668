package dev.mta.server.admin;

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
import dev.mta.testsupport.time.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The status page's memory of delivery: buckets by outcome, TLS postures, deferral replies, a bounded window. */
class DeliveryHistoryTest {
    private static final Instant START = Instant.parse("2026-11-23T10:03:00Z");
    private final TestClock clock = new TestClock(START);
    private final DeliveryHistory history = new DeliveryHistory(clock);

    private static AttemptResult attempt(String tls, DeliveryOutcome outcome) {
        Envelope envelope = new Envelope("alice@sender.example", List.of(EnvelopeRecipient.of("bob@example.org")),
                Envelope.BodyType.SEVEN_BIT, false, Optional.empty(), Optional.empty(),
                new Envelope.ClientInfo("192.0.2.1", "c.test", Optional.empty()), START);
        ClaimedRecipient claimed = new ClaimedRecipient(new RecipientRef(QueueId.parse("ABCDEFGHJK23"), 0), envelope,
                envelope.recipients().getFirst(), 0, START.plusSeconds(600));
        return new AttemptResult(claimed, outcome, new Via("mx.example.org[192.0.2.25]:25", tls));
    }

    private void delivered(String tls) {
        Diagnosis ok = Diagnosis.remote("2.0.0", "250 ok", "mx.example.org");
        history.settled(attempt(tls, new DeliveryOutcome.Delivered(ok, false)), new Settlement.Delivered(ok, false), Duration.ZERO);
    }

    private void deferred(String reply) {
        Diagnosis later = Diagnosis.remote("4.3.2", reply, "mx.example.org");
        history.settled(attempt("none", new DeliveryOutcome.Deferred(later)), new Settlement.Deferred(later, START.plusSeconds(600)),
                Duration.ZERO);
    }

    private void bounced() {
        Diagnosis no = Diagnosis.remote("5.1.1", "550 5.1.1 no such user", "mx.example.org");
        history.settled(attempt("encrypted:TLSv1.3:X", new DeliveryOutcome.Bounced(no)), new Settlement.Bounced(no, true), Duration.ZERO);
    }

    @Test
    void countsEachSettlementInTheTenMinutesItFellIn() {
        delivered("none");
        deferred("451 try later");
        clock.advance(Duration.ofMinutes(10));
        bounced();
        delivered("none");
        delivered("none");

        DeliveryHistory.Snapshot snapshot = history.snapshot(5);
        assertThat(snapshot.bucketWidth()).isEqualTo(Duration.ofMinutes(10));
        assertThat(snapshot.buckets()).hasSize(144);
        assertThat(snapshot.buckets().getLast())
                .isEqualTo(new DeliveryHistory.Counts(Instant.parse("2026-11-23T10:10:00Z"), 2, 0, 1));
        assertThat(snapshot.buckets().get(142))
                .isEqualTo(new DeliveryHistory.Counts(Instant.parse("2026-11-23T10:00:00Z"), 1, 1, 0));
        assertThat(snapshot.buckets().getFirst().start()).isEqualTo(Instant.parse("2026-11-22T10:20:00Z"));
        assertThat(snapshot.delivered()).isEqualTo(3);
        assertThat(snapshot.deferred()).isEqualTo(1);
        assertThat(snapshot.bounced()).isEqualTo(1);
    }

    @Test
    void deliveredMailIsCountedByHowItsHopWasProtected() {
        delivered("dane-ee:TLSv1.3:TLS_AES_256_GCM_SHA384");
        delivered("dane-ta:TLSv1.3:TLS_AES_256_GCM_SHA384");
        delivered("sts:TLSv1.3:TLS_AES_128_GCM_SHA256");
        delivered("verified:TLSv1.2:ECDHE");
        delivered("fingerprint:TLSv1.2:ECDHE");
        delivered("encrypted:TLSv1.3:TLS_AES_128_GCM_SHA256");
        delivered("none");
        delivered("none");
        bounced(); // not delivered: not in the posture of delivered mail

        DeliveryHistory.Snapshot snapshot = history.snapshot(5);
        assertThat(snapshot.tls()).containsEntry(TlsPosture.DANE, 2).containsEntry(TlsPosture.MTA_STS, 1)
                .containsEntry(TlsPosture.VERIFIED, 2).containsEntry(TlsPosture.ENCRYPTED, 1).containsEntry(TlsPosture.CLEAR, 2);
        assertThat(snapshot.percent(TlsPosture.DANE)).isEqualTo(25);
        assertThat(snapshot.percent(TlsPosture.MTA_STS)).isEqualTo(13);
        assertThat(new DeliveryHistory(clock).snapshot(5).percent(TlsPosture.DANE)).isZero();
    }

    @Test
    void theMostFrequentDeferralRepliesComeFirst() {
        deferred("451 4.3.2 try later");
        deferred("421 4.7.0 too many connections");
        deferred("421 4.7.0 too many connections");
        clock.advance(Duration.ofHours(1));
        deferred("451 4.3.2 try later");
        deferred("451 4.3.2 try later");
        deferred("450 4.2.1 mailbox busy");

        assertThat(history.snapshot(2).topReasons()).containsExactly(
                new DeliveryHistory.ReasonCount("451 4.3.2 try later", 3),
                new DeliveryHistory.ReasonCount("421 4.7.0 too many connections", 2));
    }

    @Test
    void whatIsOlderThanADayLeavesTheWindow() {
        delivered("none");
        deferred("451 old");
        clock.advance(Duration.ofHours(23).plusMinutes(50));
        delivered("sts:TLSv1.3:X");
        assertThat(history.snapshot(5).delivered()).isEqualTo(2);

        clock.advance(Duration.ofMinutes(10));
        DeliveryHistory.Snapshot dayLater = history.snapshot(5);
        assertThat(dayLater.delivered()).isEqualTo(1);
        assertThat(dayLater.deferred()).isZero();
        assertThat(dayLater.topReasons()).isEmpty();
        assertThat(dayLater.tls()).containsEntry(TlsPosture.MTA_STS, 1).containsEntry(TlsPosture.CLEAR, 0);

        // The ring slot of the old bucket is reused, starting from nothing.
        delivered("none");
        assertThat(history.snapshot(5).buckets().getLast().delivered()).isEqualTo(1);
    }

    @Test
    void manyDistinctRepliesAreBoundedAndLongOnesCut() {
        for (int i = 0; i < 50; i++) {
            deferred("451 4.3.2 queue id " + i + " busy");
        }
        deferred("451 " + "x".repeat(500));
        List<DeliveryHistory.ReasonCount> reasons = history.snapshot(100).topReasons();
        assertThat(reasons).hasSize(DeliveryHistory.REASONS_PER_BUCKET);
        assertThat(reasons.getFirst()).isEqualTo(new DeliveryHistory.ReasonCount(DeliveryHistory.OTHER_REASONS, 51 - 19));
        assertThat(reasons).allSatisfy(r -> assertThat(r.reason().length()).isLessThanOrEqualTo(DeliveryHistory.REASON_LENGTH + 1));
    }
}
