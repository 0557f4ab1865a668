package dev.mta.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.MessageStore;
import dev.mta.queue.QueueId;
import dev.mta.server.Relay;
import dev.mta.server.TestRelay;
import dev.mta.testsupport.smtp.SmtpReply;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stop: 421 to new sessions and idle ones, a transaction under way may finish, the rest ended at the grace period. */
class GracefulStopTest {
    @TempDir
    Path dir;

    @Test
    void aTransactionUnderWayFinishesWhileEveryoneElseGets421() throws Exception {
        TestRelay relay = TestRelay.in(dir).option("shutdown-grace-period", "60s").start();
        CompletableFuture<Void> stopping;
        QueueId kept;
        try (SmtpTestClient busy = relay.connect("relay"); SmtpTestClient idle = relay.connect("relay")) {
            busy.readReply();
            busy.ehlo("busy.test");
            assertThat(busy.command("MAIL FROM:<alice@sender.example>").code()).isEqualTo(250);
            assertThat(busy.command("RCPT TO:<bob@example.org>").code()).isEqualTo(250);
            idle.readReply();
            idle.ehlo("idle.test");

            stopping = CompletableFuture.runAsync(relay::close);

            SmtpReply toIdle = idle.readReply();
            assertThat(toIdle.code()).isEqualTo(421);
            assertThat(toIdle.enhancedStatus()).contains("4.3.2");
            assertThat(idle.isClosedByServer(Duration.ofSeconds(5))).isTrue();
            try (SmtpTestClient late = relay.connect("relay")) {
                SmtpReply greeting = late.readReply();
                assertThat(greeting.code()).as("no greeting while stopping").isEqualTo(421);
                assertThat(greeting.text()).contains("shutting down");
            }
            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + relay.adminAddress().getPort() + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(stopping).as("waits for the transaction").isNotDone();

            SmtpReply accepted = busy.data("Subject: finished during the stop\r\n\r\nx\r\n");
            assertThat(accepted.code()).isEqualTo(250);
            kept = TestRelay.queueIdFrom(accepted.text());
            SmtpReply next = busy.command("MAIL FROM:<alice@sender.example>");
            assertThat(next.code()).as("no new transaction").isEqualTo(421);
        }
        // Well inside the 60 s: nothing was left to wait for.
        stopping.get(20, TimeUnit.SECONDS);
        try (MessageStore store = Relay.openStore(relay.config(), Clock.systemUTC())) {
            assertThat(store.find(kept)).as("the message answered 250 during the stop is queued").isPresent();
        }
    }

    @Test
    void aSessionStillInDataWhenTheGracePeriodEndsIsClosedAndLeavesNothingBehind() throws Exception {
        TestRelay relay = TestRelay.in(dir).option("shutdown-grace-period", "1s").start();
        try (SmtpTestClient slow = relay.connect("relay")) {
            slow.readReply();
            slow.ehlo("slow.test");
            slow.command("MAIL FROM:<alice@sender.example>");
            slow.command("RCPT TO:<bob@example.org>");
            assertThat(slow.command("DATA").code()).isEqualTo(354);
            slow.send("Subject: never finished");

            long started = System.nanoTime();
            relay.close();

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            SmtpReply ended = slow.readReply();
            assertThat(ended.code()).isEqualTo(421);
            assertThat(slow.isClosedByServer(Duration.ofSeconds(5))).isTrue();
        }
        try (MessageStore store = Relay.openStore(relay.config(), Clock.systemUTC())) {
            assertThat(store.list()).as("a message never answered 250 is not queued").isEmpty();
        }
    }
}
