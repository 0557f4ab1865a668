package dev.mta.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.server.TestRelay;
import dev.mta.testsupport.smtp.SmtpReply;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Password guessing: each failure slows the next command down, and at the limit the address may not try again. */
class AuthGuessingTest {
    @TempDir
    Path dir;

    private static String plain(String user, String password) {
        return "AUTH PLAIN " + Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void failuresSlowTheClientDownThenItIsRefusedOnEveryListener() throws Exception {
        try (TestRelay relay = TestRelay.in(dir).user("alice", "right").option("smtp.max-auth-failures", "3").start()) {
            try (SmtpTestClient guesser = relay.connectImplicitTls("submissions")) {
                guesser.readReply();
                guesser.ehlo("guesser.test");
                assertThat(guesser.command(plain("alice", "wrong1")).code()).isEqualTo(535);
                assertThat(guesser.command(plain("alice", "wrong2")).code()).isEqualTo(535);
                long sent = System.nanoTime();
                assertThat(guesser.command(plain("alice", "wrong3")).code()).isEqualTo(535);
                Duration waited = Duration.ofNanos(System.nanoTime() - sent);
                // Two failures: the next command is read a second later (no thread waits for it).
                assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(900));
                SmtpReply refused = guesser.command(plain("alice", "right"));
                assertThat(refused.raw()).startsWith("421 4.7.0").contains("too many failed authentications");
                assertThat(guesser.isClosedByServer(Duration.ofSeconds(5))).isTrue();
            }
            // Another listener, the same address: still refused, even with the right password.
            try (SmtpTestClient again = relay.connect("submission")) {
                again.readReply();
                again.ehlo("guesser.test");
                again.startTls(relay.clientTls(), TestRelay.HOSTNAME);
                again.ehlo("guesser.test");
                assertThat(again.command(plain("alice", "right")).raw()).startsWith("421 4.7.0");
            }
        }
    }

    @Test
    void aSuccessClearsTheCount() throws Exception {
        try (TestRelay relay = TestRelay.in(dir).user("alice", "right").option("smtp.max-auth-failures", "2").start()) {
            try (SmtpTestClient client = relay.connectImplicitTls("submissions")) {
                client.readReply();
                client.ehlo("client.test");
                assertThat(client.command(plain("alice", "typo")).code()).isEqualTo(535);
                assertThat(client.command(plain("alice", "right")).code()).isEqualTo(235);
            }
            try (SmtpTestClient client = relay.connectImplicitTls("submissions")) {
                client.readReply();
                client.ehlo("client.test");
                assertThat(client.command(plain("alice", "typo")).code()).as("the count started again").isEqualTo(535);
                assertThat(client.command(plain("alice", "right")).code()).isEqualTo(235);
            }
        }
    }
}
