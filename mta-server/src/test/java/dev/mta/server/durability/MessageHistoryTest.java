package dev.mta.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.server.cli.Main;
import dev.mta.testsupport.dns.TestDnsServer;
import dev.mta.testsupport.smtp.SmtpReply;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mta log ID: a message's history from a real relay's log, including the bounce it caused. */
class MessageHistoryTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    private static Run log(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void theHistoryOfABouncedMessageFollowsItsBounce() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start();
                SmtpSinkServer mx = SmtpSinkServer.builder().address("127.0.0.2").hostName("mx.example.org").start();
                SmtpSinkServer senderMx = SmtpSinkServer.builder().address("127.0.0.3").port(mx.port())
                        .hostName("mx.sender.example").start()) {
            dns.zone("example.org").mx("example.org", 10, "mx.example.org").a("mx.example.org", "127.0.0.2");
            dns.zone("sender.example").mx("sender.example", 10, "mx.sender.example").a("mx.sender.example", "127.0.0.3");
            mx.replyToRecipient("nobody@example.org", 550, "5.1.1 no such user");
            List<String> delivery = List.of("delivery.enabled=true", "delivery.dnssec=off",
                    "delivery.dns-servers=[\"127.0.0.1:" + dns.port() + "\"]",
                    "delivery.port=" + mx.port(), "delivery.address-families=[ipv4]");
            RelayProcess relay = RelayProcess.start(dir, "history", List.of(), delivery);
            String id;
            String other;
            try (relay) {
                id = submit(relay, "nobody@example.org");
                other = submit(relay, "bob@example.org");
                assertThat(senderMx.awaitMessages(1, Duration.ofSeconds(20))).hasSize(1);
                assertThat(mx.awaitMessages(1, Duration.ofSeconds(20))).hasSize(1);
                assertThat(relay.stop()).isZero();
            }
            Run history = log("log", id, "--file", relay.logFile().toString());
            assertThat(history.code()).as(history.err()).isZero();
            List<String> lines = history.out().lines().toList();
            assertThat(lines.getFirst()).contains("accepted id=" + id);
            assertThat(history.out()).contains("id=" + id + " to=<nobody@example.org>").contains("status=bounced")
                    .contains("failure notice id=").contains("to=<alice@sender.example>").contains("status=sent")
                    .contains("removed id=" + id)
                    .doesNotContain(other);
            assertThat(lines.getLast()).as("the bounce leaves the queue last").contains("removed id=");

            Run unknown = log("log", "NOSUCHID42", "--file", relay.logFile().toString());
            assertThat(unknown.code()).isEqualTo(65);
            assertThat(unknown.err()).contains("no log lines name NOSUCHID42");
        }
    }

    private static String submit(RelayProcess relay, String recipient) throws Exception {
        try (SmtpTestClient client = SmtpTestClient.connect("127.0.0.1", relay.port(), Duration.ofSeconds(10))) {
            client.readReply();
            client.ehlo("client.test");
            client.command("MAIL FROM:<alice@sender.example>");
            client.command("RCPT TO:<" + recipient + ">");
            SmtpReply reply = client.data("Subject: history\r\n\r\nx\r\n");
            assertThat(reply.code()).isEqualTo(250);
            return reply.text().substring(reply.text().lastIndexOf(' ') + 1);
        }
    }
}
