package dev.mta.delivery.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientState;
import dev.mta.queue.RecipientStatus;
import dev.mta.testsupport.smtp.ReplyPoint;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Temporary failures retry on the schedule (5m doubling to 1h) until the queue lifetime, then bounce. */
class RetryAndExpiryTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private static RecipientStatus recipient(DeliveryHarness relay, QueueId id) throws Exception {
        return relay.store.find(id).orElseThrow().recipients().getFirst();
    }

    @Test
    void retryTimesFollowTheSchedule() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().start(dir)) {
            relay.mx1().reply(ReplyPoint.RCPT, 451, "4.3.2 try later");
            relay.mx2().reply(ReplyPoint.RCPT, 451, "4.3.2 try later");
            QueueId id = relay.queue("alice@sender.example", "bob@example.org");
            List<Duration> gaps = new ArrayList<>();
            Instant last = relay.clock.instant();
            relay.pass();
            for (int attempt = 1; attempt <= 6; attempt++) {
                RecipientStatus status = recipient(relay, id);
                assertThat(status.state()).isEqualTo(RecipientState.DEFERRED);
                Instant next = status.nextAttempt().orElseThrow();
                gaps.add(Duration.between(last, next));
                // Not a moment early:
                relay.clock.set(next.minusSeconds(1));
                assertThat(relay.pass()).isZero();
                relay.clock.set(next);
                last = next;
                assertThat(relay.pass()).isEqualTo(1);
            }
            assertThat(gaps).containsExactly(Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(20),
                    Duration.ofMinutes(40), Duration.ofHours(1), Duration.ofHours(1));
            assertThat(recipient(relay, id).attempts()).isEqualTo(7);
        }
    }

    @Test
    void aRecipientStillFailingAtTheEndOfItsLifetimeBouncesWithADsnToTheSender() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().delayWarning(Duration.ZERO).start(dir)) {
            relay.mx1().reply(ReplyPoint.RCPT, 451, "4.3.2 try later");
            relay.mx2().reply(ReplyPoint.RCPT, 452, "4.2.2 mailbox full");
            QueueId id = relay.queue("alice@sender.example", "bob@example.org");
            Instant expiry = DeliveryHarness.START.plus(Duration.ofDays(5));
            relay.pass();
            int attempts = 1;
            while (relay.store.find(id).isPresent() && recipient(relay, id).state() == RecipientState.DEFERRED) {
                Instant next = recipient(relay, id).nextAttempt().orElseThrow();
                assertThat(next).isBeforeOrEqualTo(expiry);
                relay.clock.set(next);
                relay.pass();
                attempts++;
                assertThat(attempts).isLessThan(200);
            }
            assertThat(relay.clock.instant()).isEqualTo(expiry);
            // The pass that bounced it also queued the DSN; the next pass delivers it.
            relay.pass();
            var dsns = relay.senderMx().awaitMessages(1, WAIT);
            assertThat(dsns).hasSize(1);
            assertThat(dsns.getFirst().mailFrom()).isEmpty();
            assertThat(dsns.getFirst().recipients()).containsExactly("alice@sender.example");
            ParsedDsn dsn = ParsedDsn.parse(dsns.getFirst().data());
            assertThat(dsn.reportType()).isEqualTo("delivery-status");
            assertThat(dsn.deliveryStatus()).contains("Final-Recipient: rfc822; bob@example.org")
                    .contains("Action: failed").contains("Status: 4.3.2").contains("Remote-MTA: dns; mx1.example.org")
                    .contains("Diagnostic-Code: smtp; 451 4.3.2 try later");
            assertThat(relay.mx2().connectionCount()).as("a recipient's own 4xx is not a reason to try another MX").isZero();
            assertThat(relay.store.list()).isEmpty();
        }
    }

    @Test
    void aDelayWarningGoesOutOnceAfterTheWarningTime() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().delayWarning(Duration.ofHours(4)).start(dir)) {
            relay.mx1().reply(ReplyPoint.RCPT, 451, "4.3.2 try later");
            relay.mx2().reply(ReplyPoint.RCPT, 451, "4.3.2 try later");
            QueueId id = relay.queue("alice@sender.example", "bob@example.org");
            relay.pass();
            relay.clock.advance(Duration.ofHours(3));
            relay.pass();
            relay.pass();
            assertThat(relay.senderMx().messages()).isEmpty();
            relay.clock.advance(Duration.ofHours(1));
            relay.pass();
            relay.pass();
            var warnings = relay.senderMx().awaitMessages(1, WAIT);
            ParsedDsn dsn = ParsedDsn.parse(warnings.getFirst().data());
            assertThat(dsn.deliveryStatus()).contains("Action: delayed").contains("Will-Retry-Until:");
            for (int i = 0; i < 5; i++) {
                relay.clock.advance(Duration.ofHours(2));
                relay.pass();
            }
            assertThat(relay.senderMx().messages()).hasSize(1);
            assertThat(recipient(relay, id).state()).isEqualTo(RecipientState.DEFERRED);
        }
    }

    @Test
    void aConnectionDroppedInTheMiddleOfDataIsRetriedAndThenDelivered() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().start(dir)) {
            relay.mx1().dropDuringData(10);
            QueueId id = relay.queue("alice@sender.example", "bob@example.org");
            relay.pass();
            assertThat(recipient(relay, id).state()).isEqualTo(RecipientState.DEFERRED);
            assertThat(relay.mx2().messages()).as("no second copy through another MX after the data began").isEmpty();
            relay.mx1().resetReplies();
            relay.clock.advance(Duration.ofMinutes(5));
            relay.pass();
            assertThat(relay.mx1().awaitMessages(1, WAIT)).hasSize(1);
            assertThat(relay.store.list()).isEmpty();
        }
    }

    @Test
    void aServfailForTheMxRecordsDefersAndNeverBounces() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().zones(h -> h.dns.servfail("broken.example")).start(dir)) {
            QueueId id = relay.queue("alice@sender.example", "bob@broken.example");
            relay.pass();
            RecipientStatus status = recipient(relay, id);
            assertThat(status.state()).isEqualTo(RecipientState.DEFERRED);
            assertThat(status.lastReply()).hasValueSatisfying(r -> assertThat(r).contains("SERVFAIL"));
        }
    }

    @Test
    void aTimedOutMxLookupDefers() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().zones(h -> h.dns.drop("silent.example")).start(dir)) {
            QueueId id = relay.queue("alice@sender.example", "bob@silent.example");
            relay.pass();
            assertThat(recipient(relay, id).state()).isEqualTo(RecipientState.DEFERRED);
        }
    }
}
