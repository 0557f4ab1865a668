package dev.mta.delivery.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.QueueId;
import dev.mta.testsupport.smtp.ReceivedMessage;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A message queued for example.org reaches example.org's mail servers, in MX preference order. */
class MxDeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void aMessageGoesToTheMostPreferredMxAndLeavesTheQueue() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().start(dir)) {
            relay.queue("alice@sender.example", "bob@example.org", "carol@example.org");

            assertThat(relay.pass()).isEqualTo(2);

            ReceivedMessage received = relay.mx1().awaitMessages(1, WAIT).getFirst();
            assertThat(received.mailFrom()).isEqualTo("alice@sender.example");
            assertThat(received.recipients()).containsExactly("bob@example.org", "carol@example.org");
            assertThat(received.heloName()).isEqualTo(DeliveryHarness.HOSTNAME);
            assertThat(received.dataAsString()).contains("Subject: test").endsWith("Hello.\r\n");
            assertThat(relay.mx2().messages()).isEmpty();
            assertThat(relay.store.list()).isEmpty();
        }
    }

    @Test
    void whenThePreferredMxRefusesConnectionsTheNextOneGetsTheMail() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().start(dir)) {
            relay.mx1().close();
            relay.queue("alice@sender.example", "bob@example.org");
            relay.pass();
            assertThat(relay.mx2().awaitMessages(1, WAIT)).hasSize(1);
            assertThat(relay.store.list()).isEmpty();
        }
    }

    @Test
    void aRefusingGreetingSendsTheMailToTheNextMx() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().start(dir)) {
            relay.mx1().reply(dev.mta.testsupport.smtp.ReplyPoint.GREETING, 554, "5.3.2 not now");
            relay.queue("alice@sender.example", "bob@example.org");
            relay.pass();
            assertThat(relay.mx2().awaitMessages(1, WAIT)).hasSize(1);
        }
    }

    @Test
    void oneMxHostWithoutAddressDoesNotStopTheOthers() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().zones(h -> h.dns.zone("split.example")
                .mx("split.example", 5, "ghost.split.example")
                .mx("split.example", 10, "mx1.example.org")).start(dir)) {
            relay.queue("alice@sender.example", "bob@split.example");
            relay.pass();
            assertThat(relay.mx1().awaitMessages(1, WAIT).getFirst().recipients()).containsExactly("bob@split.example");
        }
    }

    @Test
    void eachDomainGetsItsOwnTransaction() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().zones(h -> h.dns.zone("other.example")
                .mx("other.example", 10, "mx2.example.org")).start(dir)) {
            relay.queue("alice@sender.example", "bob@example.org", "dave@other.example");
            relay.pass();
            assertThat(relay.mx1().awaitMessages(1, WAIT).getFirst().recipients()).containsExactly("bob@example.org");
            assertThat(relay.mx2().awaitMessages(1, WAIT).getFirst().recipients()).containsExactly("dave@other.example");
        }
    }

    @Test
    void perRecipientRepliesSettleEachRecipientOnItsOwn() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().start(dir)) {
            relay.mx1().replyToRecipient("temp@example.org", 451, "4.2.1 mailbox busy");
            relay.mx1().replyToRecipient("gone@example.org", 550, "5.1.1 no such user");
            QueueId id = relay.queue("alice@sender.example", "ok@example.org", "temp@example.org", "gone@example.org");
            relay.pass();
            assertThat(relay.mx1().awaitMessages(1, WAIT).getFirst().recipients()).containsExactly("ok@example.org");
            var detail = relay.store.find(id).orElseThrow();
            assertThat(detail.recipients()).extracting(r -> r.address() + "=" + r.state())
                    .containsExactly("ok@example.org=DELIVERED", "temp@example.org=DEFERRED", "gone@example.org=BOUNCED");
            assertThat(detail.recipients().get(1).lastReply()).hasValueSatisfying(r -> assertThat(r).contains("451 4.2.1 mailbox busy"));
        }
    }

    @Test
    void theMailIsSpreadOverMxHostsOfEqualPreference() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().zones(h -> h.dns.zone("equal.example")
                .mx("equal.example", 10, "mx1.example.org")
                .mx("equal.example", 10, "mx2.example.org")).start(dir)) {
            for (int i = 0; i < 12; i++) {
                relay.queue("alice@sender.example", "user" + i + "@equal.example");
            }
            relay.pass();
            assertThat(relay.mx1().messages().size() + relay.mx2().messages().size()).isEqualTo(12);
            assertThat(relay.mx1().messages()).isNotEmpty();
            assertThat(relay.mx2().messages()).isNotEmpty();
        }
    }

    @Test
    void dotStuffingSurvivesTheHop() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().start(dir)) {
            String body = "Subject: dots\r\n\r\n.\r\n..two\r\n.three\r\nend\r\n";
            relay.queue("alice@sender.example", java.util.List.of(dev.mta.queue.EnvelopeRecipient.of("bob@example.org")), body);
            relay.pass();
            assertThat(relay.mx1().awaitMessages(1, WAIT).getFirst().dataAsString()).isEqualTo(body);
        }
    }

    @Test
    void anMxHostWithOnlyAnIpv6AddressIsReachedOverIpv6() throws Exception {
        try (SmtpSinkServer v6 = SmtpSinkServer.builder().address("::1").hostName("mx6.example.org").start();
                DeliveryHarness relay = DeliveryHarness.builder().start(dir)) {
            relay.dns.zone("six.example").mx("six.example", 10, "mx6.six.example").aaaa("mx6.six.example", "::1");
            relay.dns.zone("sixport.example");
            // The harness's receivers share one port; the IPv6 one has its own, so route to it.
            var resolver = dev.mta.security.dns.DnsjavaResolver.create(new dev.mta.security.dns.DnsSettings(
                    java.util.List.of(relay.dns.address()), Duration.ofMillis(500), 1));
            var addresses = new dev.mta.delivery.route.AddressResolver(resolver,
                    java.util.List.of(dev.mta.delivery.route.AddressFamily.IPV6, dev.mta.delivery.route.AddressFamily.IPV4));
            assertThat(addresses.resolve("mx6.six.example")).isEqualTo(new dev.mta.delivery.route.HostAddresses.Found(
                    java.util.List.of(java.net.InetAddress.getByName("::1")), dev.mta.security.dns.DnsSecurity.INSECURE));
            var router = new dev.mta.delivery.route.Router(resolver, dev.mta.delivery.route.StaticRoutes.none(),
                    dev.mta.delivery.route.SelfIdentity.none(), v6.port(), new java.util.Random(1));
            var delivery = new dev.mta.delivery.attempt.MessageDelivery(router, addresses,
                    dev.mta.delivery.route.SelfIdentity.none(), relay.client, new dev.mta.security.policy.HopSecurity(resolver),
                    dev.mta.security.policy.DomainTable.empty(), new dev.mta.delivery.tlspolicy.HopTlsPolicies(relay.clock,
                            dev.mta.delivery.tlspolicy.TrustStores.load(java.util.Optional.empty())));
            QueueId id = relay.queue("alice@sender.example", "bob@six.example");
            var claimed = relay.store.claimDue(relay.clock.instant(), 10, "v6-test", Duration.ofMinutes(5));
            var results = delivery.deliver(claimed.getFirst().envelope(), "six.example", claimed,
                    relay.store.find(id).orElseThrow().size(), new dev.mta.delivery.attempt.QueuedBody(relay.store, id));
            assertThat(results.getFirst().outcome()).isInstanceOf(dev.mta.delivery.attempt.DeliveryOutcome.Delivered.class);
            assertThat(results.getFirst().via().relay()).isEqualTo("mx6.six.example[0:0:0:0:0:0:0:1]:" + v6.port());
            assertThat(v6.awaitMessages(1, WAIT)).hasSize(1);
        }
    }

    static SmtpSinkServer.Builder sink() {
        return SmtpSinkServer.builder();
    }
}
