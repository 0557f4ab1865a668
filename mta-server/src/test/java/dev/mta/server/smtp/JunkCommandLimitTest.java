package dev.mta.server.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.server.TestRelay;
import dev.mta.testsupport.smtp.SmtpReply;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** smtp.max-junk-commands: commands that move no mail cannot keep a session busy for ever. */
class JunkCommandLimitTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void pastTheLimitOfCommandsThatMoveNoMailTheSessionEndsWith421() throws Exception {
        try (TestRelay relay = TestRelay.in(dir).option("smtp.max-junk-commands", "5").start();
                SmtpTestClient client = relay.connect("relay")) {
            client.readReply();
            client.ehlo("client.test");
            for (String junk : new String[] {"NOOP", "RSET", "NOOP", "NOOP", "RSET"}) {
                assertThat(client.command(junk).code()).as(junk).isLessThan(400);
            }

            SmtpReply sixth = client.command("NOOP");

            assertThat(sixth.raw()).startsWith("421 4.7.0").contains("too many junk commands");
            assertThat(client.isClosedByServer(TIMEOUT)).isTrue();
        }
    }

    @Test
    void eachMailStartsTheCountAgainSoALongSessionOfRealMailIsNotCutOff() throws Exception {
        try (TestRelay relay = TestRelay.in(dir).option("smtp.max-junk-commands", "3").start();
                SmtpTestClient client = relay.connect("relay")) {
            client.readReply();
            client.ehlo("client.test");
            for (int message = 0; message < 4; message++) {
                client.command("RSET");
                client.command("NOOP");
                client.command("NOOP");
                assertThat(client.command("MAIL FROM:<a@example.org>").code()).isEqualTo(250);
                assertThat(client.command("RCPT TO:<b@example.net>").code()).isEqualTo(250);
                assertThat(client.command("DATA").code()).isEqualTo(354);
                assertThat(client.sendData("Subject: " + message + "\r\n\r\nx\r\n").code()).isEqualTo(250);
            }
            assertThat(relay.queued()).hasSize(4);
        }
    }
}
