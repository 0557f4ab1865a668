package dev.mta.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientState;
import dev.mta.server.TestRelay;
import dev.mta.server.cli.Main;
import dev.mta.testsupport.dns.TestDnsServer;
import dev.mta.testsupport.smtp.ReceivedMessage;
import dev.mta.testsupport.smtp.ReplyPoint;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole relay: mail accepted over SMTP leaves through its MX, with the lab's DNS and receivers on loopback. */
class RelayDeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private static TestRelay.Builder relayFor(Path dir, TestDnsServer dns, SmtpSinkServer sink) {
        return TestRelay.in(dir)
                .option("smtp.listeners.submission.enabled", "false")
                .option("smtp.listeners.submissions.enabled", "false")
                .option("delivery.enabled", "true")
                // The lab DNS here is unsigned; DNSSEC has its own tests.
                .option("delivery.dnssec", "off")
                .option("delivery.dns-servers", "[\"127.0.0.1:" + dns.port() + "\"]")
                .option("delivery.port", String.valueOf(sink.port()))
                .option("delivery.address-families", "[ipv4]");
    }

    private static QueueId submit(TestRelay relay, String recipient) throws Exception {
        return relay.submit(recipient, "Subject: through the relay\r\n\r\nHello.\r\n");
    }

    @Test
    void mailAcceptedOverSmtpIsDeliveredToTheMxAtOnce() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start();
                SmtpSinkServer sink = SmtpSinkServer.builder().address("127.0.0.2").hostName("mx.example.org").start()) {
            dns.zone("example.org").mx("example.org", 10, "mx.example.org").a("mx.example.org", "127.0.0.2");
            try (TestRelay relay = relayFor(dir, dns, sink).start()) {
                submit(relay, "bob@example.org");
                ReceivedMessage received = sink.awaitMessages(1, WAIT).getFirst();
                assertThat(received.mailFrom()).isEqualTo("alice@sender.example");
                assertThat(received.recipients()).containsExactly("bob@example.org");
                assertThat(received.heloName()).isEqualTo(TestRelay.HOSTNAME);
                assertThat(received.dataAsString()).startsWith("Received: from client.test").contains("Hello.");
                awaitEmptyQueue(relay);
            }
        }
    }

    @Test
    void aDeferredMessageGoesAtOnceAfterQueueFlush() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start();
                SmtpSinkServer sink = SmtpSinkServer.builder().address("127.0.0.2").hostName("mx.example.org").start()) {
            dns.zone("example.org").mx("example.org", 10, "mx.example.org").a("mx.example.org", "127.0.0.2");
            sink.reply(ReplyPoint.RCPT, 451, "4.3.2 not yet");
            TestRelay.Builder builder = relayFor(dir, dns, sink);
            try (TestRelay relay = builder.start()) {
                QueueId id = submit(relay, "bob@example.org");
                awaitState(relay, id, RecipientState.DEFERRED);
                sink.resetReplies();
                List<String> args = new ArrayList<>(List.of("queue", "flush", "-c", "../conf/mta.conf"));
                for (String override : builder.overrides()) {
                    args.add("-o");
                    args.add(override);
                }
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                int code = Main.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
                assertThat(code).as(err.toString()).isZero();
                assertThat(out.toString()).contains("1 recipient due now");
                assertThat(sink.awaitMessages(1, WAIT)).hasSize(1);
                awaitEmptyQueue(relay);
            }
        }
    }

    private static void awaitState(TestRelay relay, QueueId id, RecipientState state) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            var detail = relay.store().find(id);
            if (detail.isPresent() && detail.get().recipients().getFirst().state() == state) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(id + " never became " + state);
    }

    private static void awaitEmptyQueue(TestRelay relay) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!relay.store().list().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still queued: " + relay.store().list());
            }
            Thread.sleep(20);
        }
    }
}
