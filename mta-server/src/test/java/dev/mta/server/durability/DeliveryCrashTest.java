package dev.mta.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.MessageStore;
import dev.mta.testsupport.dns.TestDnsServer;
import dev.mta.testsupport.smtp.ReceivedMessage;
import dev.mta.testsupport.smtp.ReplyPoint;
import dev.mta.testsupport.smtp.SmtpReply;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay killed (SIGKILL) after the next hop has the message but before the queue knows it:
 * after the restart the message goes again. At most twice, never lost.
 */
class DeliveryCrashTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aCrashBetweenTheNextHopsAcceptanceAndTheQueueUpdateDeliversAtMostTwiceAndLosesNothing() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start();
                SmtpSinkServer sink = SmtpSinkServer.builder().address("127.0.0.2").hostName("mx.example.org").start()) {
            dns.zone("example.org").mx("example.org", 10, "mx.example.org").a("mx.example.org", "127.0.0.2");
            // The receiver records the message, then holds its 250: the relay dies in that window.
            sink.delay(ReplyPoint.END_OF_DATA, Duration.ofSeconds(30));
            List<String> delivery = List.of("delivery.enabled=true", "delivery.dnssec=off",
                    "delivery.dns-servers=[\"127.0.0.1:" + dns.port() + "\"]",
                    "delivery.port=" + sink.port(), "delivery.address-families=[ipv4]");

            RelayProcess first = RelayProcess.start(dir, "before-crash", List.of(), delivery);
            try (first) {
                try (SmtpTestClient client = SmtpTestClient.connect("127.0.0.1", first.port(), Duration.ofSeconds(10))) {
                    client.readReply();
                    client.ehlo("client.test");
                    client.command("MAIL FROM:<alice@sender.example>");
                    client.command("RCPT TO:<bob@example.org>");
                    SmtpReply reply = client.data("Subject: crash\r\n\r\nonce or twice, never lost\r\n");
                    assertThat(reply.code()).isEqualTo(250);
                }
                try {
                    sink.awaitMessages(1, WAIT);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\n" + first.describe(), e);
                }
                assertThat(first.kill()).isEqualTo(137);
            }
            sink.resetReplies();

            RelayProcess second = RelayProcess.start(dir, "after-crash", List.of(), delivery);
            try (second) {
                List<ReceivedMessage> received = sink.awaitMessages(2, WAIT);
                assertThat(received).hasSize(2);
                assertThat(received.get(1).dataSha256()).isEqualTo(received.get(0).dataSha256());
                awaitEmptyQueue(second);
                assertThat(second.stop()).as("SIGTERM: a clean stop").isZero();
                assertThat(second.log()).doesNotContain("ERROR");
            }
            try (MessageStore store = RelayProcess.openStoreOf(dir)) {
                assertThat(store.list()).isEmpty();
            }
            assertThat(sink.messages()).hasSize(2);
        }
    }

    /** Polls the live relay's queue through a second connection (H2 AUTO_SERVER), as "mta queue list" does. */
    private void awaitEmptyQueue(RelayProcess relay) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try (MessageStore store = RelayProcess.openStoreOf(dir)) {
                if (store.list().isEmpty()) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the message is still queued after its second delivery\n" + relay.describe());
    }
}
