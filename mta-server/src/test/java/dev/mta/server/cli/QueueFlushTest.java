package dev.mta.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientState;
import dev.mta.server.TestRelay;
import dev.mta.testsupport.dns.TestDnsServer;
import dev.mta.testsupport.smtp.ReplyPoint;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mta queue flush --domain}: what waits for that domain goes now; other domains and held mail stay. */
class QueueFlushTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @Test
    void flushByDomainRetriesThatDomainOnlyAndLeavesHeldMailAlone() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start();
                SmtpSinkServer mx = SmtpSinkServer.builder().address("127.0.0.2").hostName("mx.example.org").start()) {
            dns.zone("example.org").mx("example.org", 10, "mx.example.org").a("mx.example.org", "127.0.0.2");
            dns.zone("example.net").mx("example.net", 10, "mx.example.org");
            mx.reply(ReplyPoint.RCPT, 451, "4.3.2 try later");
            try (TestRelay relay = TestRelay.in(dir).deliveringThrough(dns.port(), mx.port()).start()) {
                List<String> cli = new ArrayList<>(relay.overrides());
                cli.add("admin.port=" + relay.adminAddress().getPort());
                QueueId bob = relay.submit("bob@example.org", "Subject: org\r\n\r\nx\r\n");
                QueueId held = relay.submit("carol@example.org", "Subject: held\r\n\r\nx\r\n");
                QueueId dave = relay.submit("dave@example.net", "Subject: net\r\n\r\nx\r\n");
                awaitState(relay, bob, RecipientState.DEFERRED);
                awaitState(relay, held, RecipientState.DEFERRED);
                awaitState(relay, dave, RecipientState.DEFERRED);
                assertThat(CliRun.mta(cli, "queue", "hold", held.toString()).code()).isZero();
                mx.resetReplies();

                CliRun flush = CliRun.mta(cli, "queue", "flush", "--domain", "example.org");

                assertThat(flush.code()).as(flush.err()).isZero();
                assertThat(flush.out()).contains("1 recipient due now");
                mx.awaitMessages(1, WAIT);
                awaitGone(relay, bob);
                assertThat(relay.detail(held).recipients().get(0).state()).isEqualTo(RecipientState.HELD);
                assertThat(relay.detail(dave).recipients().get(0).state()).as("another domain waits its turn")
                        .isEqualTo(RecipientState.DEFERRED);
                assertThat(mx.messages()).hasSize(1);

                CliRun refused = CliRun.mta(cli, "queue", "flush", "--state", "held");
                assertThat(refused.code()).isEqualTo(64);
                assertThat(refused.err()).contains("release it instead");
            }
        }
    }

    private static void awaitState(TestRelay relay, QueueId id, RecipientState state) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (relay.detail(id).recipients().get(0).state() != state) {
            assertThat(System.nanoTime()).as("%s %s", id, state).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void awaitGone(TestRelay relay, QueueId id) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (relay.store().find(id).isPresent()) {
            assertThat(System.nanoTime()).as("%s delivered", id).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
