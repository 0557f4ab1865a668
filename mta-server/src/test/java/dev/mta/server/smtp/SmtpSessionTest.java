package dev.mta.server.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.server.TestRelay;
import dev.mta.testsupport.smtp.SmtpReply;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Greeting, EHLO, command order and command-line hygiene (RFC 5321 4.1, 4.3.2; RFC 1869). */
class SmtpSessionTest {
    @TempDir
    static java.nio.file.Path dir;

    static TestRelay relay;

    @BeforeAll
    static void start() throws Exception {
        relay = TestRelay.in(dir).option("smtp.max-message-size", "10M").start();
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @Test
    void greetsWithItsHostname() throws Exception {
        try (SmtpTestClient client = relay.connect("relay")) {
            SmtpReply greeting = client.readReply();
            assertThat(greeting.code()).isEqualTo(220);
            assertThat(greeting.text()).contains(TestRelay.HOSTNAME);
        }
    }

    @Test
    void ehloAdvertisesTheExtensionsOfTheRelay() throws Exception {
        try (SmtpTestClient client = relay.connect("relay")) {
            client.readReply();
            SmtpReply ehlo = client.ehlo("client.test");
            assertThat(ehlo.code()).isEqualTo(250);
            assertThat(ehlo.lines().get(0)).isEqualTo("relay.test Hello client.test [127.0.0.1]");
            assertThat(ehlo.extensionKeywords()).contains("PIPELINING", "SIZE", "8BITMIME", "SMTPUTF8",
                    "ENHANCEDSTATUSCODES", "DSN", "STARTTLS");
            assertThat(ehlo.extensionParameters("SIZE")).contains(java.util.List.of(String.valueOf(10L << 20)));
            // RFC 4954 4: no AUTH (and no passwords) before TLS.
            assertThat(ehlo.extensionKeywords()).doesNotContain("AUTH");
        }
    }

    @Test
    void commandsOutOfOrderGet503() throws Exception {
        try (SmtpTestClient client = relay.connect("relay")) {
            client.readReply();
            assertThat(client.command("MAIL FROM:<a@example.org>").raw()).startsWith("503 5.5.1");
            client.ehlo("client.test");
            assertThat(client.command("RCPT TO:<b@example.net>").raw()).startsWith("503 5.5.1");
            assertThat(client.command("DATA").raw()).startsWith("503 5.5.1");
            assertThat(client.command("MAIL FROM:<a@example.org>").code()).isEqualTo(250);
            assertThat(client.command("MAIL FROM:<a@example.org>").raw()).startsWith("503 5.5.1");
            assertThat(client.command("DATA").raw()).startsWith("503 5.5.1");
        }
    }

    @Test
    void unknownCommandGets500AndTheSessionGoesOn() throws Exception {
        try (SmtpTestClient client = relay.connect("relay")) {
            client.readReply();
            assertThat(client.command("FROBNICATE now").code()).isEqualTo(500);
            assertThat(client.command("NOOP").code()).isEqualTo(250);
        }
    }

    @Test
    void overlongCommandLineGets500OnceAndTheSessionGoesOn() throws Exception {
        try (SmtpTestClient client = relay.connect("relay")) {
            client.readReply();
            client.ehlo("client.test");
            client.send("MAIL FROM:<" + "a".repeat(10_000) + "@example.org>");
            assertThat(client.readReply().raw()).startsWith("500 5.5.2");
            assertThat(client.command("NOOP").code()).isEqualTo(250);
        }
    }

    @Test
    void nulAndBareCrAndBadUtf8InCommandsGet500() throws Exception {
        try (SmtpTestClient client = relay.connect("relay")) {
            client.readReply();
            client.sendRaw("NOOP\0x\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(client.readReply().raw()).startsWith("500 5.5.2");
            client.sendRaw("NOOP\rRSET\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(client.readReply().raw()).startsWith("500 5.5.2");
            client.sendRaw(new byte[] {'N', 'O', 'O', 'P', ' ', (byte) 0xC3, (byte) 0x28, '\r', '\n'});
            assertThat(client.readReply().raw()).startsWith("500 5.5.2");
            assertThat(client.command("NOOP").code()).isEqualTo(250);
        }
    }

    @Test
    void bareLfEndsACommandLikeCrlf() throws Exception {
        try (SmtpTestClient client = relay.connect("relay")) {
            client.readReply();
            client.sendRaw("NOOP\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.readReply().code()).isEqualTo(250);
        }
    }

    @Test
    void rsetForgetsTheTransaction() throws Exception {
        try (SmtpTestClient client = relay.connect("relay")) {
            client.readReply();
            client.ehlo("client.test");
            client.command("MAIL FROM:<a@example.org>");
            assertThat(client.command("RSET").code()).isEqualTo(250);
            assertThat(client.command("RCPT TO:<b@example.net>").code()).isEqualTo(503);
            assertThat(client.command("MAIL FROM:<a@example.org>").code()).isEqualTo(250);
        }
    }

    @Test
    void quitSays221AndCloses() throws Exception {
        try (SmtpTestClient client = relay.connect("relay")) {
            client.readReply();
            assertThat(client.command("QUIT").code()).isEqualTo(221);
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void heloClientsCannotUseEsmtpParameters() throws Exception {
        try (SmtpTestClient client = relay.connect("relay")) {
            client.readReply();
            assertThat(client.command("HELO client.test").code()).isEqualTo(250);
            assertThat(client.command("MAIL FROM:<a@example.org> SIZE=10").raw()).startsWith("555 5.5.4");
            assertThat(client.command("MAIL FROM:<a@example.org>").code()).isEqualTo(250);
        }
    }
}
