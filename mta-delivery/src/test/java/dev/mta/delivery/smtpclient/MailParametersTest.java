package dev.mta.delivery.smtpclient;

import static dev.mta.delivery.smtpclient.Outbound.await;
import static dev.mta.delivery.smtpclient.Outbound.completed;
import static dev.mta.delivery.smtpclient.Outbound.hop;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.testsupport.smtp.ReceivedMessage;
import dev.mta.testsupport.smtp.SinkExtension;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** SIZE (RFC 1870), 8BITMIME (RFC 6152), SMTPUTF8 (RFC 6531), DSN (RFC 3461): sent when offered, else left out or refused. */
class MailParametersTest {

    private static OutboundMessage message(String sender, List<OutboundRecipient> recipients, String content,
                                           boolean eightBit, boolean smtpUtf8, Optional<String> ret,
                                           Optional<String> envid) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return new OutboundMessage(sender, recipients, bytes.length, eightBit, smtpUtf8, ret, envid,
                () -> new ByteArrayInputStream(bytes));
    }

    private static OutboundMessage plain(String content) {
        return message("alice@example.org", List.of(new OutboundRecipient("bob@example.com")), content, false, false,
                Optional.empty(), Optional.empty());
    }

    @Test
    void declaresTheSizeWhenTheServerOffersSize() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            await(client.send(hop(sink), plain("twelve bytes")));

            assertThat(sink.awaitMessages(1, Outbound.PATIENCE).getFirst().mailParameters()).containsExactly("SIZE=12");
        }
    }

    @Test
    void leavesTheSizeOutWhenTheServerDoesNotOfferSize() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().without(SinkExtension.SIZE).start();
             SmtpClient client = Outbound.client()) {
            await(client.send(hop(sink), plain("twelve bytes")));

            assertThat(sink.awaitMessages(1, Outbound.PATIENCE).getFirst().mailParameters()).isEmpty();
        }
    }

    @Test
    void refusesBeforeMailAMessageLargerThanTheServersLimit() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().maxMessageSize(100).start();
             SmtpClient client = Outbound.client()) {
            TransactionResult result = await(client.send(hop(sink), plain("x".repeat(99) + "\r\n")));

            assertThat(result).isInstanceOfSatisfying(TransactionResult.NotSendable.class, notSendable -> {
                assertThat(notSendable.status()).isEqualTo("5.3.4");
                assertThat(notSendable.reason()).contains("101", "100", Outbound.MX_HOST);
            });
            // The session is untouched; the next message fits and uses it.
            await(client.send(hop(sink), plain("x".repeat(98) + "\r\n")));
            assertThat(sink.awaitMessages(1, Outbound.PATIENCE)).hasSize(1);
            assertThat(sink.connectionCount()).isEqualTo(1);
            assertThat(sink.connections().getFirst().transactions()).isEqualTo(1);
        }
    }

    @Test
    void marksAnEightBitBodyWhenTheServerOffers8BitMime() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            await(client.send(hop(sink), message("alice@example.org", List.of(new OutboundRecipient("bob@example.com")),
                    "caf\u00e9\r\n", true, false, Optional.empty(), Optional.empty())));

            ReceivedMessage received = sink.awaitMessages(1, Outbound.PATIENCE).getFirst();
            assertThat(received.mailParameters()).containsExactly("SIZE=7", "BODY=8BITMIME");
            assertThat(received.dataAsString()).isEqualTo("caf\u00e9\r\n");
        }
    }

    @Test
    void refusesAnEightBitBodyToAServerWithout8BitMime() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().without(SinkExtension.EIGHT_BIT_MIME).start();
             SmtpClient client = Outbound.client()) {
            TransactionResult result = await(client.send(hop(sink), message("alice@example.org",
                    List.of(new OutboundRecipient("bob@example.com")), "caf\u00e9\r\n", true, false,
                    Optional.empty(), Optional.empty())));

            assertThat(result).isInstanceOfSatisfying(TransactionResult.NotSendable.class,
                    notSendable -> assertThat(notSendable.status()).isEqualTo("5.6.3"));
            assertThat(sink.connections().getFirst().commands()).doesNotContain("MAIL");
        }
    }

    @Test
    void asksForSmtpUtf8WhenTheMessageNeedsIt() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            TransactionResult result = await(client.send(hop(sink), message("j\u00f6ran@example.org",
                    List.of(new OutboundRecipient("\u00e5sa@example.com")), "x\r\n", true, true,
                    Optional.empty(), Optional.empty())));

            assertThat(completed(result).recipients()).allMatch(RecipientResult::delivered);
            ReceivedMessage received = sink.awaitMessages(1, Outbound.PATIENCE).getFirst();
            assertThat(received.mailFrom()).isEqualTo("j\u00f6ran@example.org");
            assertThat(received.recipients()).containsExactly("\u00e5sa@example.com");
            assertThat(received.mailParameters()).contains("SMTPUTF8");
        }
    }

    @Test
    void refusesAMessageThatNeedsSmtpUtf8ToAServerWithoutIt() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().without(SinkExtension.SMTPUTF8).start();
             SmtpClient client = Outbound.client()) {
            TransactionResult result = await(client.send(hop(sink), message("alice@example.org",
                    List.of(new OutboundRecipient("\u00e5sa@example.com")), "x\r\n", false, true,
                    Optional.empty(), Optional.empty())));

            assertThat(result).isInstanceOfSatisfying(TransactionResult.NotSendable.class,
                    notSendable -> assertThat(notSendable.status()).isEqualTo("5.6.7"));
        }
    }

    @Test
    void sendsDsnParametersXtextEncodedWhenTheServerOffersDsn() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = Outbound.client()) {
            List<OutboundRecipient> recipients = List.of(
                    new OutboundRecipient("bob@example.com", Set.of("FAILURE", "SUCCESS", "DELAY"),
                            Optional.of("rfc822;bob+tag=1@example.com")),
                    new OutboundRecipient("carol@example.com", Set.of("NEVER"), Optional.empty()),
                    new OutboundRecipient("dave@example.com"));

            TransactionResult result = await(client.send(hop(sink), message("alice@example.org", recipients, "x\r\n",
                    false, false, Optional.of("HDRS"), Optional.of("id+1=a b"))));

            assertThat(completed(result).session().serverOffersDsn()).isTrue();
            ReceivedMessage received = sink.awaitMessages(1, Outbound.PATIENCE).getFirst();
            assertThat(received.mailParameters()).containsExactly("SIZE=3", "RET=HDRS", "ENVID=id+2B1+3Da+20b");
            assertThat(received.recipientParameters()).containsExactly(
                    java.util.Map.entry("bob@example.com",
                            List.of("NOTIFY=SUCCESS,FAILURE,DELAY", "ORCPT=rfc822;bob+2Btag+3D1@example.com")),
                    java.util.Map.entry("carol@example.com", List.of("NOTIFY=NEVER")),
                    java.util.Map.entry("dave@example.com", List.of()));
        }
    }

    @Test
    void leavesDsnParametersOutWhenTheServerDoesNotOfferDsn() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().without(SinkExtension.DSN).start();
             SmtpClient client = Outbound.client()) {
            List<OutboundRecipient> recipients = List.of(new OutboundRecipient("bob@example.com",
                    Set.of("SUCCESS"), Optional.of("rfc822;bob@example.com")));

            TransactionResult result = await(client.send(hop(sink), message("alice@example.org", recipients, "x\r\n",
                    false, false, Optional.of("FULL"), Optional.of("envelope-1"))));

            // RFC 3461 5.2: no DSN parameters; the caller sees it and owes a "relayed" notice.
            assertThat(completed(result).session().serverOffersDsn()).isFalse();
            ReceivedMessage received = sink.awaitMessages(1, Outbound.PATIENCE).getFirst();
            assertThat(received.mailParameters()).containsExactly("SIZE=3");
            assertThat(received.recipientParameters()).containsEntry("bob@example.com", List.of());
        }
    }
}
