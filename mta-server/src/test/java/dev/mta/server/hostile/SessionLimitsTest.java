package dev.mta.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.server.Scrapes;
import dev.mta.server.TestRelay;
import dev.mta.testsupport.smtp.SmtpReply;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** smtp.max-connections, smtp.max-connections-per-client and smtp.max-errors, and a slowloris client against them. */
class SessionLimitsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private static SmtpTestClient from(TestRelay relay, String local) throws Exception {
        return SmtpTestClient.connectFrom(local, "127.0.0.1", relay.port("relay"), TIMEOUT);
    }

    @Test
    void aClientOverItsLimitGets421AndOthersStillGetIn() throws Exception {
        try (TestRelay relay = TestRelay.in(dir).option("smtp.max-connections-per-client", "2").start()) {
            List<SmtpTestClient> held = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    SmtpTestClient client = from(relay, "127.0.0.1");
                    held.add(client);
                    assertThat(client.readReply().code()).isEqualTo(220);
                }
                try (SmtpTestClient third = from(relay, "127.0.0.1")) {
                    SmtpReply refused = third.readReply();
                    assertThat(refused.raw()).startsWith("421 4.7.0").contains("too many connections from 127.0.0.1");
                    assertThat(third.isClosedByServer(TIMEOUT)).isTrue();
                }
                try (SmtpTestClient other = from(relay, "127.0.0.2")) {
                    assertThat(other.readReply().code()).as("another client is not affected").isEqualTo(220);
                }
                held.remove(0).close();
                awaitOpenSessions(relay, 1);
                try (SmtpTestClient again = from(relay, "127.0.0.1")) {
                    assertThat(again.readReply().code()).as("a slot freed is a slot again").isEqualTo(220);
                }
            } finally {
                for (SmtpTestClient client : held) {
                    client.close();
                }
            }
            assertThat(Scrapes.value(relay.metrics().scrape(), "mta_smtp_connections_total{listener=\"relay\",result=\"refused\"}"))
                    .isEqualTo(1.0);
        }
    }

    @Test
    void theListenerWideLimitHoldsForEveryone() throws Exception {
        try (TestRelay relay = TestRelay.in(dir).option("smtp.max-connections", "2")
                .option("smtp.max-connections-per-client", "2").start();
                SmtpTestClient first = from(relay, "127.0.0.2");
                SmtpTestClient second = from(relay, "127.0.0.3")) {
            first.readReply();
            second.readReply();
            try (SmtpTestClient third = from(relay, "127.0.0.4")) {
                assertThat(third.readReply().raw()).startsWith("421 4.7.0").contains("too many connections");
            }
        }
    }

    @Test
    void aSessionWithTooManyErrorsIsEnded() throws Exception {
        try (TestRelay relay = TestRelay.in(dir).option("smtp.max-errors", "3").start();
                SmtpTestClient client = relay.connect("relay")) {
            client.readReply();
            client.ehlo("prober.test");
            assertThat(client.command("RCPT TO:<a@example.org>").code()).isEqualTo(503);
            assertThat(client.command("FROBNICATE").code()).isEqualTo(500);
            SmtpReply third = client.command("VRFY root");
            assertThat(third.raw()).startsWith("421 4.7.0").contains("too many errors");
            assertThat(client.isClosedByServer(TIMEOUT)).isTrue();
        }
    }

    /**
     * Slowloris: clients that send a byte now and then to hold sessions open. They can take no
     * more than their address's share; everyone else is still served, and each is cut off at
     * smtp.session-timeout however busy it keeps the line.
     */
    @Test
    void slowlorisClientsHoldOnlyTheirOwnShare() throws Exception {
        try (TestRelay relay = TestRelay.in(dir).option("smtp.max-connections-per-client", "3")
                .option("smtp.idle-timeout", "2s").option("smtp.session-timeout", "3s").start()) {
            List<SmtpTestClient> lorises = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    lorises.add(from(relay, "127.0.0.5"));
                }
                int greeted = 0;
                for (SmtpTestClient loris : lorises) {
                    if (loris.readReply().code() == 220) {
                        greeted++;
                        loris.sendRaw("E".getBytes(StandardCharsets.US_ASCII));
                    }
                }
                assertThat(greeted).isEqualTo(3);
                try (SmtpTestClient honest = from(relay, "127.0.0.6")) {
                    assertThat(honest.readReply().code()).isEqualTo(220);
                    assertThat(honest.ehlo("honest.test").code()).isEqualTo(250);
                }
                // A byte every second keeps the idle clock from running out, but not the session clock.
                long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
                while (relay.relay().openSessions() > 0 && System.nanoTime() < deadline) {
                    for (SmtpTestClient loris : lorises) {
                        try {
                            loris.sendRaw("H".getBytes(StandardCharsets.US_ASCII));
                        } catch (java.io.IOException closed) {
                            // cut off
                        }
                    }
                    Thread.sleep(1000);
                }
                assertThat(relay.relay().openSessions()).as("every loris ended by the session limit").isZero();
            } finally {
                for (SmtpTestClient loris : lorises) {
                    loris.close();
                }
            }
        }
    }

    private static void awaitOpenSessions(TestRelay relay, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (relay.relay().openSessions() != count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(relay.relay().openSessions()).isEqualTo(count);
    }
}
