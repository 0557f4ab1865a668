package dev.mta.server.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.QueueId;
import dev.mta.server.TestRelay;
import dev.mta.testsupport.smtp.SmtpReply;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DATA: what is stored, what is refused, and that no byte sequence splits a message (RFC 5321 4.1.1.4, 4.5.2). */
class DataTest {
    @TempDir
    static java.nio.file.Path dir;

    static TestRelay relay;

    @BeforeAll
    static void start() throws Exception {
        relay = TestRelay.in(dir).option("smtp.max-message-size", "64K").option("smtp.max-header-size", "8K").start();
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    private static SmtpTestClient ready(String listener, String mailParameters) throws Exception {
        SmtpTestClient client = relay.connect(listener);
        client.readReply();
        client.ehlo("client.test");
        assertThat(client.command("MAIL FROM:<sender@example.org>" + mailParameters).code()).isEqualTo(250);
        assertThat(client.command("RCPT TO:<rcpt@example.net>").code()).isEqualTo(250);
        return client;
    }

    private static SmtpReply sendRawData(SmtpTestClient client, String raw) throws Exception {
        assertThat(client.command("DATA").code()).isEqualTo(354);
        client.sendRaw(raw.getBytes(StandardCharsets.ISO_8859_1));
        return client.readReply();
    }

    private static String stored(SmtpReply reply) {
        assertThat(reply.code()).as(reply.text()).isEqualTo(250);
        return relay.body(TestRelay.queueIdFrom(reply.text()));
    }

    @Test
    void storedMessageHasAReceivedHeaderThenTheClientsBytes() throws Exception {
        try (SmtpTestClient client = ready("relay", "")) {
            SmtpReply reply = client.data("Subject: test\r\nFrom: sender@example.org\r\n\r\nline one\r\n..dotted\r\n");
            assertThat(reply.raw()).matches("250 2\\.0\\.0 Ok: queued as [0-9A-Z]{12}\\s*");
            String body = stored(reply);
            assertThat(body).startsWith("Received: from client.test ([127.0.0.1])\r\n\tby relay.test (mta) with ESMTP id "
                    + TestRelay.queueIdFrom(reply.text()) + "\r\n\tfor <rcpt@example.net>;");
            // sendData stuffed "..dotted" to "...dotted" on the wire; the queue holds it unstuffed.
            assertThat(body).endsWith("\r\nSubject: test\r\nFrom: sender@example.org\r\n\r\nline one\r\n..dotted\r\n")
                    .doesNotContain("Message-ID:");
        }
    }

    @Test
    void dotStuffingIsRemoved() throws Exception {
        try (SmtpTestClient client = ready("relay", "")) {
            String body = stored(sendRawData(client, "Subject: dots\r\n\r\n..\r\n..x\r\n.\r\n"));
            assertThat(body).endsWith("\r\n\r\n.\r\n.x\r\n");
        }
    }

    @Test
    void submissionAddsMissingDateAndMessageId() throws Exception {
        try (SmtpTestClient client = ready("submission", "")) {
            String body = stored(client.data("Subject: no date\r\n\r\nhi\r\n"));
            assertThat(body).containsPattern("\r\nDate: \\w{3}, \\d{1,2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4}\r\n");
            assertThat(body).containsPattern("\r\nMessage-ID: <\\d{14}\\.[0-9A-Z]{12}@relay\\.test>\r\n\r\nhi\r\n");
        }
        try (SmtpTestClient client = ready("submission", "")) {
            String body = stored(client.data("Message-ID: <mine@example.org>\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\n\r\nhi\r\n"));
            assertThat(body).containsOnlyOnce("Message-ID:").containsOnlyOnce("Date:").contains("<mine@example.org>");
        }
    }

    @Test
    void oversizedMessageGets552AfterItsEndAndTheSessionGoesOn() throws Exception {
        try (SmtpTestClient client = ready("relay", "")) {
            String line = "x".repeat(900) + "\r\n";
            SmtpReply reply = client.data("Subject: big\r\n\r\n" + line.repeat(100));
            assertThat(reply.raw()).startsWith("552 5.3.4");
            assertThat(client.command("MAIL FROM:<sender@example.org>").code()).isEqualTo(250);
        }
    }

    @Test
    void overlongLineIsRefused() throws Exception {
        try (SmtpTestClient client = ready("relay", "")) {
            assertThat(client.data("Subject: long\r\n\r\n" + "y".repeat(5000) + "\r\n").raw()).startsWith("550 5.6.0");
            assertThat(client.command("NOOP").code()).isEqualTo(250);
        }
    }

    @Test
    void hugeHeaderSectionIsRefused() throws Exception {
        try (SmtpTestClient client = ready("relay", "")) {
            assertThat(client.data(("X-Filler: " + "h".repeat(500) + "\r\n").repeat(20) + "\r\nbody\r\n").raw()).startsWith("552 5.3.4");
        }
    }

    @Test
    void nulByteIsRefused() throws Exception {
        try (SmtpTestClient client = ready("relay", "")) {
            assertThat(sendRawData(client, "Subject: nul\r\n\r\na\0b\r\n.\r\n").raw()).startsWith("550 5.6.0");
        }
    }

    @Test
    void eightBitDataNeeds8BitMime() throws Exception {
        try (SmtpTestClient client = ready("relay", "")) {
            assertThat(sendRawData(client, "Subject: 8bit\r\n\r\ncaf\u00e9\r\n.\r\n").raw()).startsWith("550 5.6.0");
        }
        try (SmtpTestClient client = ready("relay", " BODY=8BITMIME")) {
            assertThat(sendRawData(client, "Subject: 8bit\r\n\r\ncaf\u00e9\r\n.\r\n").code()).isEqualTo(250);
        }
    }

    @Test
    void bareLineFeedsAreStoredAsCrlf() throws Exception {
        try (SmtpTestClient client = ready("relay", "")) {
            String body = stored(sendRawData(client, "Subject: lf\n\nline1\nline2\rline3\r\n.\r\n"));
            assertThat(body).endsWith("Subject: lf\r\n\r\nline1\r\nline2\r\nline3\r\n");
        }
    }

    /**
     * SMTP smuggling: each sequence tries to end the message early and start a second one. Only
     * CRLF.CRLF ends data, so the relay stores one message whose text contains the attempt.
     */
    @Test
    void smugglingSequencesNeverSplitAMessage() throws Exception {
        String[] fakeEnds = {"\n.\r\n", "\n.\n", "\r.\r\n", "\r.\r", "\r\n.\n", "\n.\r", "\r\n.\r"};
        for (String fakeEnd : fakeEnds) {
            int before = relay.queued().size();
            try (SmtpTestClient client = ready("relay", "")) {
                String smuggled = "MAIL FROM:<ceo@example.org>\r\nRCPT TO:<victim@example.net>\r\nDATA\r\nSubject: smuggled\r\n\r\nevil\r\n";
                SmtpReply reply = sendRawData(client, "Subject: innocent\r\n\r\nhello" + fakeEnd + smuggled + ".\r\n");
                String body = stored(reply);
                assertThat(body).as("fake end %s", escape(fakeEnd)).contains("Subject: innocent").contains("Subject: smuggled");
                assertThat(body).as("stored lines end in CRLF only").doesNotContainPattern("[^\r]\n|\r[^\n]");
                // The session is in command state again, and nothing else was queued.
                assertThat(client.command("NOOP").code()).isEqualTo(250);
            }
            assertThat(relay.queued()).hasSize(before + 1);
        }
    }

    private static String escape(String s) {
        return s.replace("\r", "<CR>").replace("\n", "<LF>");
    }

    @Test
    void rejectModeRefusesBareLineEndings(@TempDir java.nio.file.Path other) throws Exception {
        try (TestRelay strict = TestRelay.in(other).option("smtp.bare-line-endings", "reject").start();
                SmtpTestClient client = strict.connect("relay")) {
            client.readReply();
            client.ehlo("client.test");
            client.command("MAIL FROM:<sender@example.org>");
            client.command("RCPT TO:<rcpt@example.net>");
            assertThat(client.command("DATA").code()).isEqualTo(354);
            client.sendRaw("Subject: x\r\n\r\nhello\n.\r\nmore\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.readReply().raw()).startsWith("550 5.6.0");
            assertThat(strict.queued()).isEmpty();
        }
    }

    @Test
    void messageWithoutBodyIsStoredWhole() throws Exception {
        try (SmtpTestClient client = ready("relay", "")) {
            QueueId id = TestRelay.queueIdFrom(client.data("Subject: only headers\r\n").text());
            assertThat(relay.body(id)).endsWith("\r\nSubject: only headers\r\n");
        }
    }
}
