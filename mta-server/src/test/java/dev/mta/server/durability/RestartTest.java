package dev.mta.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.MessageDetail;
import dev.mta.queue.MessageStore;
import dev.mta.queue.MessageSummary;
import dev.mta.queue.QueueId;
import dev.mta.server.Relay;
import dev.mta.server.TestRelay;
import dev.mta.server.config.ConfigLoader;
import dev.mta.testsupport.smtp.SmtpReply;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a relay acknowledged is still queued, unchanged, after it stops and starts again on the same data. */
class RestartTest {
    private static final Path SHIPPED_CONFIG = Path.of("../conf/mta.conf");
    private static final int MESSAGES = 20;

    @TempDir
    Path dir;

    /** One transaction as the client sent it. */
    private record Sent(String sender, String mailParameters, List<String> recipients, List<String> rcptParameters,
            String message) {
    }

    @Test
    void everyAcknowledgedMessageIsQueuedWithTheSameEnvelopeAndBodyAfterARestart() throws Exception {
        List<Sent> sent = messages(new Random(20_25));
        Map<QueueId, Sent> accepted = new LinkedHashMap<>();
        Map<QueueId, MessageDetail> detailsBefore = new LinkedHashMap<>();
        Map<QueueId, byte[]> bodiesBefore = new LinkedHashMap<>();

        // Only the relay listener: each listener takes about 2 s to close (Netty's graceful shutdown).
        TestRelay.Builder builder = TestRelay.in(dir)
                .option("smtp.listeners.submission.enabled", "false")
                .option("smtp.listeners.submissions.enabled", "false");
        try (TestRelay first = builder.start()) {
            try (SmtpTestClient client = first.connect("relay")) {
                assertThat(client.readReply().code()).isEqualTo(220);
                assertThat(client.ehlo("client.test").code()).isEqualTo(250);
                for (Sent message : sent) {
                    accepted.put(send(client, message), message);
                }
                assertThat(client.command("QUIT").code()).isEqualTo(221);
            }
            for (QueueId id : accepted.keySet()) {
                detailsBefore.put(id, first.detail(id));
                bodiesBefore.put(id, body(first.store(), id));
            }
        }
        assertThat(accepted).hasSize(MESSAGES);

        // The same overrides (data directory, certificate) as the first relay, started the way mta serve does.
        try (Relay second = Relay.start(ConfigLoader.load(SHIPPED_CONFIG, builder.overrides()).config(),
                Clock.systemUTC())) {
            MessageStore store = second.store();
            assertThat(store.list()).extracting(MessageSummary::id).containsExactlyInAnyOrderElementsOf(accepted.keySet());
            for (Map.Entry<QueueId, Sent> entry : accepted.entrySet()) {
                QueueId id = entry.getKey();
                Sent message = entry.getValue();
                MessageDetail detail = store.find(id).orElseThrow();
                assertThat(detail).as(id.value()).isEqualTo(detailsBefore.get(id));
                assertEnvelope(detail.envelope(), message);
                byte[] body = body(store, id);
                assertThat(body).as(id.value()).isEqualTo(bodiesBefore.get(id));
                assertThat(detail.size()).as(id.value()).isEqualTo(body.length);
                // The stored body is the Received header the relay added, then the client's bytes unstuffed.
                assertThat(new String(body, StandardCharsets.UTF_8)).as(id.value())
                        .startsWith("Received: from client.test ([127.0.0.1])\r\n\tby relay.test (mta) with ESMTP id " + id)
                        .endsWith("\r\n" + message.message());
            }
        }
    }

    private static QueueId send(SmtpTestClient client, Sent message) throws Exception {
        assertThat(client.command("MAIL FROM:<" + message.sender() + ">" + message.mailParameters()).code()).isEqualTo(250);
        for (int i = 0; i < message.recipients().size(); i++) {
            SmtpReply reply = client.command(
                    "RCPT TO:<" + message.recipients().get(i) + ">" + message.rcptParameters().get(i));
            assertThat(reply.code()).as(reply.raw()).isEqualTo(250);
        }
        SmtpReply reply = client.data(message.message());
        assertThat(reply.raw()).matches("250 2\\.0\\.0 Ok: queued as [0-9A-Z]{12}\\s*");
        return TestRelay.queueIdFrom(reply.text());
    }

    private static void assertEnvelope(Envelope envelope, Sent message) {
        assertThat(envelope.sender()).isEqualTo(message.sender());
        // The local part is kept as given (only the destination may interpret it); the domain is lower-cased.
        assertThat(envelope.recipients()).extracting(EnvelopeRecipient::address).containsExactlyElementsOf(
                message.recipients().stream().map(RestartTest::withLowerCaseDomain).toList());
        assertThat(envelope.client().address()).isEqualTo("127.0.0.1");
        assertThat(envelope.client().heloName()).isEqualTo("client.test");
        boolean eightBit = message.mailParameters().contains("BODY=8BITMIME");
        assertThat(envelope.bodyType())
                .isEqualTo(eightBit ? Envelope.BodyType.EIGHT_BIT_MIME : Envelope.BodyType.SEVEN_BIT);
        boolean dsn = message.mailParameters().contains("RET=HDRS");
        assertThat(envelope.dsnReturn()).isEqualTo(dsn ? Optional.of(Envelope.DsnReturn.HDRS) : Optional.empty());
        // ENVID went out as xtext ("+2B" is '+', "+3D" is '='); the queue keeps it decoded.
        assertThat(envelope.dsnEnvelopeId())
                .isEqualTo(dsn ? Optional.of("env+id=" + message.recipients().size()) : Optional.empty());
        for (int i = 0; i < message.recipients().size(); i++) {
            EnvelopeRecipient recipient = envelope.recipients().get(i);
            boolean notify = !message.rcptParameters().get(i).isEmpty();
            assertThat(recipient.notifyOn()).isEqualTo(notify
                    ? Set.of(EnvelopeRecipient.Notify.FAILURE, EnvelopeRecipient.Notify.DELAY) : Set.of());
            assertThat(recipient.originalRecipient()).isEqualTo(notify
                    ? Optional.of("rfc822;" + message.recipients().get(i)) : Optional.empty());
        }
    }

    /** Bodies from a few bytes to about 200 KB, with dot lines, long lines, 8-bit text; senders including {@code <>}. */
    private static List<Sent> messages(Random random) {
        List<Sent> messages = new ArrayList<>();
        for (int n = 0; n < MESSAGES; n++) {
            String sender = n == 7 ? "" : "sender" + n + "@example.org";
            boolean eightBit = n % 5 == 3;
            boolean dsn = n % 4 == 1;
            int recipientCount = 1 + random.nextInt(4);
            List<String> recipients = new ArrayList<>();
            List<String> rcptParameters = new ArrayList<>();
            for (int r = 0; r < recipientCount; r++) {
                recipients.add("Rcpt" + r + "." + n + "@" + (r % 2 == 0 ? "example.net" : "Example.COM"));
                rcptParameters.add(dsn && r == 0 ? " NOTIFY=FAILURE,DELAY ORCPT=rfc822;" + recipients.get(r) : "");
            }
            String mailParameters = (eightBit ? " BODY=8BITMIME" : "")
                    + (dsn ? " RET=HDRS ENVID=env+2Bid+3D" + recipientCount : "");
            StringBuilder message = new StringBuilder()
                    .append("From: ").append(sender.isEmpty() ? "MAILER-DAEMON@example.org" : sender).append("\r\n")
                    .append("Subject: message ").append(n).append(eightBit ? " grüße" : "").append("\r\n")
                    .append("\r\n");
            int lines = n == 0 ? 0 : n == 19 ? 2600 : random.nextInt(300);
            for (int i = 0; i < lines; i++) {
                switch (random.nextInt(6)) {
                    case 0 -> message.append(".leading dot ").append(i).append("\r\n");
                    case 1 -> message.append("\r\n");
                    case 2 -> message.append("x".repeat(990)).append(i % 10).append("\r\n");
                    case 3 -> message.append(eightBit ? "Ünïcödé ✓ " : "plain ").append(i).append("\r\n");
                    default -> message.append(Base64Lines.line(random)).append("\r\n");
                }
            }
            messages.add(new Sent(sender, mailParameters, recipients, rcptParameters, message.toString()));
        }
        return messages;
    }

    private static String withLowerCaseDomain(String address) {
        int at = address.lastIndexOf('@');
        return address.substring(0, at + 1) + address.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    private static byte[] body(MessageStore store, QueueId id) throws Exception {
        try (InputStream in = store.openBody(id)) {
            return in.readAllBytes();
        }
    }
}
