package dev.mta.server.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.server.TestRelay;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 5321 4.5.3.2.7: a silent client is told 421 and disconnected; so is one that stays too long. */
class TimeoutTest {
    @Test
    void idleClientGets421AndIsDisconnected(@TempDir java.nio.file.Path dir) throws Exception {
        try (TestRelay relay = TestRelay.in(dir).option("smtp.idle-timeout", "1s").option("smtp.session-timeout", "1m").start();
                SmtpTestClient client = SmtpTestClient.connect("127.0.0.1", relay.port("relay"), Duration.ofSeconds(10))) {
            client.readReply();
            assertThat(client.readReply().raw()).startsWith("421 4.4.2");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void busyClientIsStillCutOffAtTheSessionLimit(@TempDir java.nio.file.Path dir) throws Exception {
        try (TestRelay relay = TestRelay.in(dir).option("smtp.idle-timeout", "1s").option("smtp.session-timeout", "2s").start();
                SmtpTestClient client = relay.connect("relay")) {
            client.readReply();
            long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            String last = "";
            while (System.nanoTime() < deadline) {
                client.send("NOOP");
                last = client.readReply().raw();
                if (last.startsWith("421")) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(last).startsWith("421 4.4.2");
        }
    }
}
