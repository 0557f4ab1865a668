package dev.mta.delivery.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.EnvelopeRecipient.Notify;
import dev.mta.testsupport.smtp.ReceivedMessage;
import dev.mta.testsupport.smtp.ReplyPoint;
import dev.mta.testsupport.smtp.SinkExtension;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Permanent failures: one DSN per message and event, never to the null sender (RFC 3464, RFC 5321 4.5.5). */
class BounceTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private static ReceivedMessage onlyDsn(DeliveryHarness relay) throws Exception {
        relay.pass();
        relay.pass();
        List<ReceivedMessage> dsns = relay.senderMx().awaitMessages(1, WAIT);
        assertThat(dsns).hasSize(1);
        return dsns.getFirst();
    }

    @Test
    void aRefusedRecipientIsReportedToTheSenderWithTheRemoteReply() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().start(dir)) {
            relay.mx1().replyToRecipient("gone@example.org", 550, "5.1.1 <gone@example.org>: no such user");
            relay.mx1().replyToRecipient("lost@example.org", 550, "5.1.1 <lost@example.org>: no such user");
            relay.queue("alice@sender.example", "gone@example.org", "lost@example.org", "ok@example.org");
            ReceivedMessage received = onlyDsn(relay);
            assertThat(received.mailFrom()).isEmpty();
            ParsedDsn dsn = ParsedDsn.parse(received.data());
            assertThat(dsn.subject()).isEqualTo("Undelivered Mail Returned to Sender");
            assertThat(dsn.reportType()).isEqualTo("delivery-status");
            assertThat(dsn.parts()).hasSize(3);
            assertThat(dsn.deliveryStatus())
                    .contains("Reporting-MTA: dns; relay.test")
                    .contains("Final-Recipient: rfc822; gone@example.org")
                    .contains("Final-Recipient: rfc822; lost@example.org")
                    .doesNotContain("ok@example.org")
                    .contains("Action: failed").contains("Status: 5.1.1")
                    .contains("Remote-MTA: dns; mx1.example.org")
                    .contains("Diagnostic-Code: smtp; 550 5.1.1 <gone@example.org>: no such user");
            assertThat(ParsedDsn.text(dsn.parts().get(2))).contains("Hello.");
            assertThat(relay.store.list()).isEmpty();
        }
    }

    @Test
    void aNullMxBouncesWithoutAnyConnection() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().zones(h -> h.dns.zone("nomail.example").nullMx("nomail.example")).start(dir)) {
            relay.queue("alice@sender.example", "bob@nomail.example");
            ParsedDsn dsn = ParsedDsn.parse(onlyDsn(relay).data());
            assertThat(dsn.deliveryStatus()).contains("Status: 5.1.10").contains("null MX");
            assertThat(relay.mx1().connectionCount() + relay.mx2().connectionCount()).isZero();
        }
    }

    @Test
    void aDomainThatDoesNotExistBounces() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().zones(h -> h.dns.zone("real.example")).start(dir)) {
            relay.queue("alice@sender.example", "bob@nowhere.real.example");
            ParsedDsn dsn = ParsedDsn.parse(onlyDsn(relay).data());
            assertThat(dsn.deliveryStatus()).contains("Status: 5.1.2").contains("NXDOMAIN");
        }
    }

    @Test
    void notifyNeverMeansNoDsn() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().start(dir)) {
            relay.mx1().replyToRecipient("gone@example.org", 550, "5.1.1 no such user");
            relay.queue("alice@sender.example", List.of(new EnvelopeRecipient("gone@example.org", Set.of(Notify.NEVER), Optional.empty())),
                    "Subject: x\r\n\r\nx\r\n");
            relay.pass();
            relay.pass();
            assertThat(relay.senderMx().messages()).isEmpty();
            assertThat(relay.store.list()).isEmpty();
        }
    }

    @Test
    void aBounceOfMailFromTheNullSenderGoesToThePostmasterOnceAndNoFurther() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().start(dir)) {
            relay.mx1().replyToRecipient("gone@example.org", 550, "5.1.1 no such user");
            relay.queue("", "gone@example.org");
            ReceivedMessage notice = onlyDsn(relay);
            assertThat(notice.recipients()).containsExactly("postmaster@sender.example");
            assertThat(notice.mailFrom()).isEmpty();
            assertThat(relay.store.list()).isEmpty();
        }
    }

    @Test
    void aFailedPostmasterNoticeIsDroppedNotBouncedAgain() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().start(dir)) {
            relay.mx1().replyToRecipient("gone@example.org", 550, "5.1.1 no such user");
            relay.senderMx().replyToRecipient("postmaster@sender.example", 550, "5.1.1 no postmaster here");
            relay.queue("", "gone@example.org");
            for (int i = 0; i < 4; i++) {
                relay.pass();
            }
            assertThat(relay.senderMx().messages()).isEmpty();
            assertThat(relay.store.list()).isEmpty();
        }
    }

    @Test
    void successIsReportedAsRelayedWhenTheNextHopDoesNotSupportDsn() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().mx1(SmtpSinkServer.builder().without(SinkExtension.DSN)).start(dir)) {
            relay.queue("alice@sender.example", List.of(new EnvelopeRecipient("bob@example.org",
                    Set.of(Notify.SUCCESS, Notify.FAILURE), Optional.of("rfc822;bob@example.org"))), "Subject: x\r\n\r\nx\r\n");
            ParsedDsn dsn = ParsedDsn.parse(onlyDsn(relay).data());
            assertThat(dsn.deliveryStatus()).contains("Action: relayed").contains("Original-Recipient: rfc822; bob@example.org");
            assertThat(relay.mx1().messages().getFirst().recipientParameters().getOrDefault("bob@example.org", List.of())).isEmpty();
        }
    }

    @Test
    void dsnRequestsTravelOnWhenTheNextHopSupportsDsn() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().start(dir)) {
            relay.queue("alice@sender.example", List.of(new EnvelopeRecipient("bob@example.org",
                    Set.of(Notify.SUCCESS), Optional.empty())), "Subject: x\r\n\r\nx\r\n");
            relay.pass();
            relay.pass();
            ReceivedMessage received = relay.mx1().awaitMessages(1, WAIT).getFirst();
            assertThat(received.recipientParameters().get("bob@example.org")).contains("NOTIFY=SUCCESS");
            assertThat(relay.senderMx().messages()).isEmpty();
        }
    }

    @Test
    void aServerAnnouncingASmallerSizeGetsNothingAndTheSenderA534Bounce() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().mx1(SmtpSinkServer.builder().maxMessageSize(10)).start(dir)) {
            relay.queue("alice@sender.example", "bob@example.org");
            ParsedDsn dsn = ParsedDsn.parse(onlyDsn(relay).data());
            assertThat(dsn.deliveryStatus()).contains("Status: 5.3.4");
            assertThat(relay.mx1().messages()).isEmpty();
        }
    }

    @Test
    void aMessageNeedingSmtputf8BouncesWith567AtAServerWithoutIt() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().mx1(SmtpSinkServer.builder().without(SinkExtension.SMTPUTF8)).start(dir)) {
            try (var incoming = relay.store.receive()) {
                incoming.body().write("Subject: caf\u00e9\r\n\r\nx\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                incoming.commit(new dev.mta.queue.Envelope("alice@sender.example", List.of(EnvelopeRecipient.of("j\u00f6rg@example.org")),
                        dev.mta.queue.Envelope.BodyType.EIGHT_BIT_MIME, true, Optional.empty(), Optional.empty(),
                        new dev.mta.queue.Envelope.ClientInfo("192.0.2.1", "c.test", Optional.empty()), relay.clock.instant()));
            }
            ParsedDsn dsn = ParsedDsn.parse(onlyDsn(relay).data());
            assertThat(dsn.deliveryStatus()).contains("Status: 5.6.7");
        }
    }

    @Test
    void anEightBitMessageBouncesWith563AtAServerWithout8bitmimeAndIsNeverDowngraded() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().mx1(SmtpSinkServer.builder().without(SinkExtension.EIGHT_BIT_MIME)).start(dir)) {
            try (var incoming = relay.store.receive()) {
                incoming.body().write("Subject: 8bit\r\n\r\ncaf\u00e9\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                incoming.commit(new dev.mta.queue.Envelope("alice@sender.example", List.of(EnvelopeRecipient.of("bob@example.org")),
                        dev.mta.queue.Envelope.BodyType.EIGHT_BIT_MIME, false, Optional.empty(), Optional.empty(),
                        new dev.mta.queue.Envelope.ClientInfo("192.0.2.1", "c.test", Optional.empty()), relay.clock.instant()));
            }
            ParsedDsn dsn = ParsedDsn.parse(onlyDsn(relay).data());
            assertThat(dsn.deliveryStatus()).contains("Status: 5.6.3");
            assertThat(relay.mx1().messages()).isEmpty();
        }
    }

    @Test
    void aStartTlsHandshakeFailureIsRetriedInClearText() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().mx1(SmtpSinkServer.builder()
                .startTlsFailing(dev.mta.testsupport.smtp.TlsHandshakeFailure.values()[0])).start(dir)) {
            relay.queue("alice@sender.example", "bob@example.org");
            relay.pass();
            ReceivedMessage received = relay.mx1().awaitMessages(1, WAIT).getFirst();
            assertThat(received.tls()).isEmpty();
            assertThat(relay.store.list()).isEmpty();
        }
    }

    @Test
    void aRefusedMailFromBouncesEveryRecipient() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().start(dir)) {
            relay.mx1().reply(ReplyPoint.MAIL, 550, "5.7.1 sender rejected");
            relay.queue("alice@sender.example", "bob@example.org", "carol@example.org");
            ParsedDsn dsn = ParsedDsn.parse(onlyDsn(relay).data());
            assertThat(dsn.deliveryStatus()).contains("bob@example.org").contains("carol@example.org").contains("Status: 5.7.1");
        }
    }
}
