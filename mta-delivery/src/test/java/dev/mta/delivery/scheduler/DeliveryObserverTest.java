package dev.mta.delivery.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.Settlement;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every settled attempt is told to the observer once per recipient, with how the hop was secured. */
class DeliveryObserverTest {
    @TempDir
    Path dir;

    record Seen(String recipient, String outcome, String tlsMode, Duration sinceArrival) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    private final DeliveryObserver recording = (result, settlement, sinceArrival) -> seen.add(new Seen(
            result.recipient().recipient().address(),
            switch (settlement) {
                case Settlement.Delivered ignored -> "delivered";
                case Settlement.Deferred ignored -> "deferred";
                case Settlement.Bounced ignored -> "bounced";
            },
            result.via().tlsMode(), sinceArrival));

    @Test
    void eachRecipientsOutcomeAndTlsModeIsObserved() throws Exception {
        CertifiedKey key = TestCertificates.ec().selfSignedLeaf("mx1.example.org");
        try (DeliveryHarness relay = DeliveryHarness.builder().mx1(SmtpSinkServer.builder().startTls(key.serverSslContext()))
                .observer(recording).start(dir)) {
            relay.mx1().replyToRecipient("carol@example.org", 451, "4.3.2 try later");
            relay.mx1().replyToRecipient("dave@example.org", 452, "4.2.2 mailbox full");
            relay.queue("alice@sender.example", "bob@example.org", "carol@example.org", "dave@example.org");
            relay.clock.advance(Duration.ofSeconds(3));
            relay.pass();
            assertThat(seen).extracting(Seen::recipient, Seen::outcome).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("bob@example.org", "delivered"),
                    org.assertj.core.groups.Tuple.tuple("carol@example.org", "deferred"),
                    org.assertj.core.groups.Tuple.tuple("dave@example.org", "deferred"));
            assertThat(seen).allMatch(s -> s.tlsMode().equals("encrypted"));
            assertThat(seen).allMatch(s -> s.sinceArrival().equals(Duration.ofSeconds(3)));
        }
    }

    @Test
    void aFailingObserverNeverStopsTheSettlement() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder()
                .observer((result, settlement, since) -> {
                    throw new IllegalStateException("metrics broke");
                }).start(dir)) {
            var id = relay.queue("alice@sender.example", "bob@example.org");
            relay.pass();
            assertThat(relay.store.find(id)).as("delivered and removed").isEmpty();
            assertThat(relay.mx1().messages()).hasSize(1);
        }
    }
}
