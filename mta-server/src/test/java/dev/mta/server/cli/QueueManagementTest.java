package dev.mta.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mta.queue.MessageSummary;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientState;
import dev.mta.server.TestRelay;
import dev.mta.testsupport.dns.TestDnsServer;
import dev.mta.testsupport.smtp.ReplyPoint;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's queue commands against a running relay with deferred, held and bounced mail. */
class QueueManagementTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private TestRelay.Builder builder;

    private CliRun mta(String... args) {
        return CliRun.mta(builder.overrides(), args);
    }

    @Test
    void listHoldSummaryReleaseRequeueBounceAndDelete() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start();
                SmtpSinkServer mx = SmtpSinkServer.builder().address("127.0.0.2").hostName("mx.example.org").start()) {
            dns.zone("example.org").mx("example.org", 10, "mx.example.org").a("mx.example.org", "127.0.0.2");
            dns.zone("example.net").mx("example.net", 10, "mx.example.org");
            dns.zone("sender.example").mx("sender.example", 10, "mx.example.org");
            mx.reply(ReplyPoint.RCPT, 451, "4.3.2 try later");
            builder = TestRelay.in(dir)
                    .deliveringThrough(dns.port(), mx.port());
            try (TestRelay relay = builder.start()) {
                QueueId bob = submit(relay, "bob@example.org");
                QueueId carol = submit(relay, "carol@example.org");
                QueueId dave = submit(relay, "dave@example.net");
                awaitAll(relay, RecipientState.DEFERRED, 3);

                CliRun json = mta("queue", "list", "--json", "--domain", "example.org");
                assertThat(json.code()).as(json.err()).isZero();
                JsonNode listed = new ObjectMapper().readTree(json.out());
                assertThat(listed).hasSize(2);
                assertThat(listed.get(0).at("/recipients/0/state").asText()).isEqualTo("deferred");
                assertThat(listed.get(0).at("/recipients/0/lastReply").asText()).contains("try later");

                CliRun show = mta("queue", "show", bob.toString());
                assertThat(show.code()).as(show.err()).isZero();
                assertThat(show.out()).contains("bob@example.org  state=deferred").contains("header:")
                        .contains("  Subject: managed").doesNotContain("  x");
                assertThat(mta("queue", "show", bob.toString(), "--body").out()).contains("message:").contains("  Subject: managed")
                        .contains("\n  x\n");

                CliRun hold = mta("queue", "hold", "--domain", "example.org");
                assertThat(hold.out()).contains("hold: 2 recipients in 2 messages");
                assertThat(mta("queue", "list", "--state", "held").out()).contains(bob.toString()).contains(carol.toString())
                        .doesNotContain(dave.toString());

                // The queue's gauges say the same (first scrape: nothing cached yet).
                String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + relay.adminAddress().getPort() + "/metrics")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).contains("mta_queue_messages 3.0").contains("mta_queue_recipients{state=\"held\"} 2.0")
                        .contains("mta_queue_recipients{state=\"deferred\"} 1.0")
                        .contains("mta_queue_recipients_by_age{age=\"0-5m\"} 3.0");

                CliRun summary = mta("queue", "summary");
                assertThat(summary.code()).as(summary.err()).isZero();
                assertThat(summary.out()).containsPattern("example\\.org\\s+2\\s+2\\s")
                        .contains("top deferral reasons:").contains("4.3.2 try later").contains("3 messages in the queue");

                assertThat(mta("queue", "release", bob.toString()).out()).contains("release: 1 recipient in 1 message");
                assertThat(mta("queue", "requeue", "--domain", "example.net").out()).contains("requeue: 1 recipient in 1 message");

                CliRun everything = mta("queue", "bounce", "--reason", "no");
                assertThat(everything.code()).isEqualTo(64);
                assertThat(everything.err()).contains("bounce needs queue ids or a filter");
                assertThat(mta("queue", "bounce", carol.toString(), "--reason", "left the company").out())
                        .contains("bounce: 1 recipient in 1 message");
                // The bounce is an ordinary DSN to the sender, from the null sender.
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (relay.queued().stream().noneMatch(m -> m.sender().isEmpty()) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(relay.queued()).anyMatch(m -> m.sender().isEmpty());

                CliRun refused = mta("queue", "delete", dave.toString());
                assertThat(refused.code()).isEqualTo(75); // no terminal to ask on: nothing is deleted
                assertThat(refused.err()).contains("add --yes").contains("nothing deleted");
                assertThat(mta("queue", "delete", dave.toString(), "--yes").out()).contains("delete: 1 recipient in 1 message");
                assertThat(relay.queued()).extracting(MessageSummary::id).doesNotContain(dave);

                assertThat(mta("queue", "hold", "NOT-AN-ID").code()).isEqualTo(64);
                assertThat(mta("queue", "list", "--state", "lost").err()).contains("not a state: lost");
                assertThat(mta("queue", "list", "--older-than", "soon").err()).contains("not a duration: soon");
            }
        }
    }

    private static void awaitAll(TestRelay relay, RecipientState state, int count) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            long matching = relay.queued().stream().flatMap(m -> m.recipients().stream()).filter(r -> r.state() == state).count();
            if (matching == count) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("never " + count + " recipients " + state + ": " + relay.queued());
    }

    private static QueueId submit(TestRelay relay, String recipient) throws Exception {
        return relay.submit(recipient, "Subject: managed\r\n\r\nx\r\n");
    }
}
