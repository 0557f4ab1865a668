package dev.mta.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.server.TestRelay;
import dev.mta.testsupport.dns.TestDnsServer;
import dev.mta.testsupport.smtp.ReceivedMessage;
import dev.mta.testsupport.smtp.SmtpReply;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SMTP smuggling end to end: a client hides a second transaction behind an end-of-data look-alike
 * in its message. Whatever the relay's listener makes of it, what it sends on must be one
 * message in canonical form (every line ends in CRLF, a leading dot is stuffed), so that no
 * receiver, however lenient its own parser, can see a second message in it.
 */
class SmugglingThroughTheRelayTest {
    // Every end-of-data variant known from the 2023 SMTP smuggling research and Postfix's smtpd_forbid_bare_newline notes.
    private static final List<String> FAKE_ENDS = List.of(
            "\n.\n", "\n.\r\n", "\r\n.\n", "\r.\r", "\r\n.\r", "\r.\n", "\n.\r", "\r.\r\n", "\r\n.\r\r\n", "\n..\n",
            "\r\n.\u0000\r\n", "\r\n\r\n.\n");
    private static final String SMUGGLED = "MAIL FROM:<ceo@example.org>\r\nRCPT TO:<victim@example.net>\r\nDATA\r\n"
            + "Subject: smuggled\r\n\r\nevil\r\n";

    @TempDir
    Path dir;

    @Test
    void noEndOfDataVariantEverMakesASecondMessageAtTheReceiver() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start();
                SmtpSinkServer receiver = SmtpSinkServer.builder().address("127.0.0.2").hostName("mx.example.org").start()) {
            dns.zone("example.org").mx("example.org", 10, "mx.example.org").a("mx.example.org", "127.0.0.2");
            dns.zone("example.net").mx("example.net", 10, "mx.example.org");
            try (TestRelay relay = TestRelay.in(dir).deliveringThrough(dns.port(), receiver.port()).start()) {
                int accepted = 0;
                for (int i = 0; i < FAKE_ENDS.size(); i++) {
                    SmtpReply reply = submit(relay, "Subject: innocent " + i + "\r\n\r\nhello" + FAKE_ENDS.get(i) + SMUGGLED + ".\r\n");
                    // normalize (the default) accepts the message whole; a variant with NUL is refused whole.
                    assertThat(reply.code()).as("variant %d", i).isIn(250, 550, 554);
                    if (reply.code() == 250) {
                        accepted++;
                    }
                }
                assertThat(accepted).isGreaterThanOrEqualTo(FAKE_ENDS.size() - 1);

                List<ReceivedMessage> received = receiver.awaitMessages(accepted, Duration.ofSeconds(20));
                Thread.sleep(300); // a second message would come right behind
                received = receiver.messages();

                assertThat(received).hasSize(accepted);
                assertThat(received).allSatisfy(message -> {
                    assertThat(message.mailFrom()).isEqualTo("alice@sender.example");
                    assertThat(message.recipients()).containsExactly("bob@example.org");
                    String data = message.dataAsString();
                    assertThat(data).contains("Subject: innocent").contains("Subject: smuggled");
                    assertCanonical(message.data());
                });
            }
        }
    }

    /** Every CR is followed by LF and every LF preceded by CR: nothing a lenient parser could split on. */
    private static void assertCanonical(byte[] data) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\r') {
                assertThat(i + 1 < data.length && data[i + 1] == '\n').as("bare CR at %d in %s", i, escape(data)).isTrue();
            }
            if (data[i] == '\n') {
                assertThat(i > 0 && data[i - 1] == '\r').as("bare LF at %d in %s", i, escape(data)).isTrue();
            }
        }
    }

    private static String escape(byte[] data) {
        return new String(data, StandardCharsets.ISO_8859_1).replace("\r", "<CR>").replace("\n", "<LF>\n");
    }

    private static SmtpReply submit(TestRelay relay, String data) throws Exception {
        try (SmtpTestClient client = relay.connect("relay")) {
            client.readReply();
            client.ehlo("client.test");
            client.command("MAIL FROM:<alice@sender.example>");
            client.command("RCPT TO:<bob@example.org>");
            assertThat(client.command("DATA").code()).isEqualTo(354);
            client.sendRaw(data.getBytes(StandardCharsets.ISO_8859_1));
            SmtpReply reply = client.readReply();
            client.command("QUIT");
            return reply;
        }
    }
}
