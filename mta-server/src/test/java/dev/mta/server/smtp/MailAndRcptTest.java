package dev.mta.server.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.MessageDetail;
import dev.mta.server.TestRelay;
import dev.mta.testsupport.smtp.SmtpReply;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MAIL and RCPT with their parameters (RFC 5321 4.1.1.2-3, RFC 1870, 3461, 6152, 6531). */
class MailAndRcptTest {
    @TempDir
    static java.nio.file.Path dir;

    static TestRelay relay;

    @BeforeAll
    static void start() throws Exception {
        relay = TestRelay.in(dir).option("smtp.max-recipients", "3").option("smtp.max-message-size", "1M").start();
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    private static SmtpTestClient greeted() throws Exception {
        SmtpTestClient client = relay.connect("relay");
        client.readReply();
        client.ehlo("client.test");
        return client;
    }

    @Test
    void malformedSenderGets501WithTheReason() throws Exception {
        try (SmtpTestClient client = greeted()) {
            assertThat(client.command("MAIL FROM:<user@example.org.>").raw()).startsWith("501 5.1.7");
            assertThat(client.command("MAIL FROM:user@example.org").raw()).startsWith("501 5.1.7");
            assertThat(client.command("MAIL TO:<user@example.org>").raw()).startsWith("501 5.5.4");
        }
    }

    @Test
    void malformedRecipientGets501() throws Exception {
        try (SmtpTestClient client = greeted()) {
            client.command("MAIL FROM:<a@example.org>");
            assertThat(client.command("RCPT TO:<b@@example.net>").raw()).startsWith("501 5.1.3");
            assertThat(client.command("RCPT TO:<postmaster>").raw()).startsWith("501 5.1.3");
            assertThat(client.command("RCPT TO:<>").raw()).startsWith("501 5.1.3");
        }
    }

    @Test
    void declaredSizeOverTheLimitGets552AtMail() throws Exception {
        try (SmtpTestClient client = greeted()) {
            assertThat(client.command("MAIL FROM:<a@example.org> SIZE=2000000").raw()).startsWith("552 5.3.4");
            assertThat(client.command("MAIL FROM:<a@example.org> SIZE=1000").code()).isEqualTo(250);
        }
    }

    @Test
    void unknownOrUnsupportedParametersGet555() throws Exception {
        try (SmtpTestClient client = greeted()) {
            assertThat(client.command("MAIL FROM:<a@example.org> XFOO=1").raw()).startsWith("555 5.5.4");
            assertThat(client.command("MAIL FROM:<a@example.org> BODY=BINARYMIME").raw()).startsWith("555 5.5.4");
            assertThat(client.command("MAIL FROM:<a@example.org> BODY=9BIT").raw()).startsWith("501 5.5.4");
            client.command("MAIL FROM:<a@example.org>");
            assertThat(client.command("RCPT TO:<b@example.net> XFOO").raw()).startsWith("555 5.5.4");
            assertThat(client.command("RCPT TO:<b@example.net> NOTIFY=NEVER,DELAY").raw()).startsWith("501 5.5.4");
        }
    }

    @Test
    void nonAsciiAddressNeedsSmtpUtf8() throws Exception {
        try (SmtpTestClient client = greeted()) {
            assertThat(client.command("MAIL FROM:<jörg@example.org>").raw()).startsWith("553 5.6.7");
            assertThat(client.command("MAIL FROM:<jörg@example.org> SMTPUTF8").code()).isEqualTo(250);
            assertThat(client.command("RCPT TO:<пользователь@пример.example>").code()).isEqualTo(250);
        }
    }

    @Test
    void recipientsBeyondTheLimitGet452() throws Exception {
        try (SmtpTestClient client = greeted()) {
            client.command("MAIL FROM:<a@example.org>");
            for (int i = 0; i < 3; i++) {
                assertThat(client.command("RCPT TO:<r" + i + "@example.net>").code()).isEqualTo(250);
            }
            assertThat(client.command("RCPT TO:<r4@example.net>").raw()).startsWith("452 4.5.3");
        }
    }

    @Test
    void dsnParametersAreKeptWithTheMessage() throws Exception {
        try (SmtpTestClient client = greeted()) {
            assertThat(client.command("MAIL FROM:<a@example.org> RET=HDRS ENVID=QQ+2B314 BODY=8BITMIME SIZE=100").code()).isEqualTo(250);
            assertThat(client.command("RCPT TO:<b@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b+2Bx@example.net").code()).isEqualTo(250);
            assertThat(client.command("RCPT TO:<c@example.net> NOTIFY=NEVER").code()).isEqualTo(250);
            SmtpReply reply = client.data("Subject: dsn\r\n\r\nbody\r\n");
            assertThat(reply.code()).isEqualTo(250);
            MessageDetail detail = relay.detail(TestRelay.queueIdFrom(reply.text()));
            Envelope envelope = detail.envelope();
            assertThat(envelope.dsnReturn()).contains(Envelope.DsnReturn.HDRS);
            assertThat(envelope.dsnEnvelopeId()).contains("QQ+314");
            assertThat(envelope.bodyType()).isEqualTo(Envelope.BodyType.EIGHT_BIT_MIME);
            assertThat(envelope.recipients()).containsExactly(
                    new EnvelopeRecipient("b@example.net", Set.of(EnvelopeRecipient.Notify.SUCCESS, EnvelopeRecipient.Notify.FAILURE),
                            Optional.of("rfc822;b+x@example.net")),
                    new EnvelopeRecipient("c@example.net", Set.of(EnvelopeRecipient.Notify.NEVER), Optional.empty()));
        }
    }

    @Test
    void pipelinedCommandsGetTheirRepliesInOrder() throws Exception {
        try (SmtpTestClient client = greeted()) {
            client.sendRaw(("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\nRCPT TO:<bad@@x>\r\n"
                    + "RCPT TO:<c@example.net>\r\nDATA\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(client.readReply().code()).isEqualTo(250);
            assertThat(client.readReply().code()).isEqualTo(250);
            assertThat(client.readReply().code()).isEqualTo(501);
            assertThat(client.readReply().code()).isEqualTo(250);
            assertThat(client.readReply().code()).isEqualTo(354);
            SmtpReply done = client.sendData("Subject: pipelined\r\n\r\nhello\r\n");
            assertThat(done.code()).isEqualTo(250);
            assertThat(relay.detail(TestRelay.queueIdFrom(done.text())).envelope().recipients())
                    .extracting(EnvelopeRecipient::address).containsExactly("b@example.net", "c@example.net");
        }
    }

    @Test
    void dataAfterOnlyRefusedRecipientsGets554() throws Exception {
        try (SmtpTestClient client = greeted()) {
            client.command("MAIL FROM:<a@example.org>");
            client.command("RCPT TO:<bad@@x>");
            assertThat(client.command("DATA").raw()).startsWith("554 5.5.1");
        }
    }
}
