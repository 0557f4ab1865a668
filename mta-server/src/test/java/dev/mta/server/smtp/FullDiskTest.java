package dev.mta.server.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mta.queue.MessageSummary;
import dev.mta.queue.RecipientState;
import dev.mta.server.TestRelay;
import dev.mta.testsupport.dns.TestDnsServer;
import dev.mta.testsupport.fs.Tmpfs;
import dev.mta.testsupport.smtp.ReceivedMessage;
import dev.mta.testsupport.smtp.ReplyPoint;
import dev.mta.testsupport.smtp.SmtpReply;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A data directory on a file system that really fills (a 32 MiB tmpfs of its own): first with the
 * relay's own mail, then to the last block by another process. New mail gets 452 4.3.1, queued
 * mail stays whole and is still delivered, and acceptance resumes when space returns. Needs root
 * to mount; skipped otherwise, except under ./test ({@code mta.test.tools-required}), as in CI.
 */
class FullDiskTest {
    private static final long MIB = 1024 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aFullDiskRefusesNewMailWith452KeepsAndDeliversQueuedMailAndResumesWhenSpaceReturns() throws Exception {
        Optional<String> unavailable = Tmpfs.unavailable();
        if (Boolean.getBoolean("mta.test.tools-required")) {
            assertThat(unavailable).as("CI runs ./test as root, which can mount a tmpfs").isEmpty();
        }
        assumeTrue(unavailable.isEmpty(), unavailable.orElse(""));
        try (Tmpfs disk = Tmpfs.mount(32 * MIB);
                TestDnsServer dns = TestDnsServer.start();
                SmtpSinkServer mx = SmtpSinkServer.builder().address("127.0.0.2").hostName("mx.example.org").start()) {
            dns.zone("example.org").mx("example.org", 10, "mx.example.org").a("mx.example.org", "127.0.0.2");
            mx.reply(ReplyPoint.RCPT, 451, "4.3.2 not now");
            try (TestRelay relay = TestRelay.in(disk.path()).deliveringThrough(dns.port(), mx.port())
                    .option("queue.min-free-space", "4M")
                    .option("queue.reserve-space", "4M")
                    .start()) {
                // The relay's own mail fills the disk down to the minimum free space.
                List<String> accepted = new ArrayList<>();
                SmtpReply refused = null;
                while (refused == null) {
                    String subject = "queued " + accepted.size();
                    SmtpReply reply = send(relay, subject, 256 * 1024);
                    if (reply.code() == 250) {
                        accepted.add(subject);
                    } else {
                        refused = reply;
                    }
                }
                assertThat(refused.raw()).startsWith("452 4.3.1");
                assertThat(accepted).hasSizeGreaterThan(20);
                awaitAllDeferred(relay, accepted.size());

                // Another process takes the last block.
                Path filler = disk.fill("filler");
                assertThat(send(relay, "while full", 1024).raw()).startsWith("452 4.3.1");
                assertThat(relay.queued()).hasSize(accepted.size());

                // The next hop comes back: every queued message goes out whole, and leaves the queue.
                mx.resetReplies();
                relay.store().flush(Optional.empty(), Instant.now());
                relay.delivery().wake();
                mx.awaitMessages(accepted.size(), WAIT);
                awaitEmptyQueue(relay);
                List<ReceivedMessage> received = mx.messages();
                assertThat(subjects(received)).as("each once").containsExactlyInAnyOrderElementsOf(accepted);
                assertThat(received).allSatisfy(m -> assertThat(m.data().length).isGreaterThan(256 * 1024));

                Files.delete(filler);
                assertThat(send(relay, "after", 1024).code()).isEqualTo(250);
                mx.awaitMessages(accepted.size() + 1, WAIT);
                assertThat(disk.path().resolve("data/queue/space.reserve")).as("written again").hasSize(4 * MIB);
            }
        }
    }

    private static SmtpReply send(TestRelay relay, String subject, int bodyBytes) throws Exception {
        try (SmtpTestClient client = relay.connect("relay")) {
            client.readReply();
            client.ehlo("client.test");
            SmtpReply mail = client.command("MAIL FROM:<a@example.com> SIZE=" + bodyBytes);
            if (mail.code() != 250) {
                return mail;
            }
            client.command("RCPT TO:<b@example.org>");
            SmtpReply data = client.command("DATA");
            if (data.code() != 354) {
                return data;
            }
            String line = "x".repeat(998) + "\r\n";
            return client.sendData("Subject: " + subject + "\r\n\r\n" + line.repeat(bodyBytes / line.length() + 1));
        }
    }

    private static List<String> subjects(List<ReceivedMessage> messages) {
        List<String> subjects = new ArrayList<>();
        for (ReceivedMessage message : messages) {
            String text = message.dataAsString();
            int start = text.indexOf("Subject: ") + "Subject: ".length();
            subjects.add(text.substring(start, text.indexOf("\r\n", start)));
        }
        return subjects;
    }

    private static void awaitAllDeferred(TestRelay relay, int count) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<MessageSummary> queued = relay.queued();
            long deferred = 0;
            for (MessageSummary summary : queued) {
                if (relay.detail(summary.id()).recipients().get(0).state() == RecipientState.DEFERRED) {
                    deferred++;
                }
            }
            if (deferred == count) {
                return;
            }
            assertThat(System.nanoTime()).as("%d of %d deferred", deferred, count).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static void awaitEmptyQueue(TestRelay relay) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!relay.queued().isEmpty()) {
            assertThat(System.nanoTime()).as("queue drained").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
