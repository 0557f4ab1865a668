package dev.mta.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientState;
import dev.mta.server.LogLines;
import dev.mta.server.TestRelay;
import dev.mta.server.admin.AdminResponse;
import dev.mta.server.admin.AdminRoute;
import dev.mta.server.admin.AdminServer;
import dev.mta.server.admin.RelayMetrics;
import dev.mta.testsupport.dns.TestDnsServer;
import dev.mta.testsupport.smtp.ReplyPoint;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mta queue} against a running relay: through its admin API when the admin listener
 * answers, in the store when nothing listens there, and never silently around a refusal.
 */
class QueueThroughApiTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    // The relay scans the queue every second when nothing wakes it; an action through the API wakes
    // it, so the mail reaches the next hop well before a scan would have found it.
    private static final Duration AT_ONCE = Duration.ofMillis(500);
    private static final String USER = System.getProperty("user.name");

    @TempDir
    Path dir;

    private TestRelay.Builder builder;

    private CliRun mta(List<String> extra, String... args) {
        List<String> overrides = new ArrayList<>(builder.overrides());
        overrides.addAll(extra);
        return CliRun.mta(overrides, args);
    }

    private TestRelay startWithDeferringMx(TestDnsServer dns, SmtpSinkServer mx) throws Exception {
        dns.zone("example.org").mx("example.org", 10, "mx.example.org").a("mx.example.org", "127.0.0.2");
        dns.zone("example.net").mx("example.net", 10, "mx.example.org");
        dns.zone("sender.example").mx("sender.example", 10, "mx.example.org");
        mx.reply(ReplyPoint.RCPT, 451, "4.3.2 try later");
        builder = TestRelay.in(dir)
                .deliveringThrough(dns.port(), mx.port());
        return builder.start();
    }

    @Test
    void everyCommandGoesThroughTheRunningRelayAndPrintsWhatTheStorePathPrints() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start();
                SmtpSinkServer mx = SmtpSinkServer.builder().address("127.0.0.2").hostName("mx.example.org").start();
                TestRelay relay = startWithDeferringMx(dns, mx);
                LogLines access = LogLines.of("dev.mta.server.cli.QueueAccess", "DEBUG");
                LogLines actions = LogLines.of("dev.mta.admin", "INFO")) {
            QueueId bob = relay.submit("bob@example.org", "Subject: managed\r\n\r\nx\r\n");
            QueueId carol = relay.submit("carol@example.org", "Subject: managed\r\n\r\nx\r\n");
            QueueId dave = relay.submit("dave@example.net", "Subject: managed\r\n\r\nx\r\n");
            awaitAll(relay, RecipientState.DEFERRED, 3);
            List<String> api = List.of("admin.port=" + relay.adminAddress().getPort());
            List<String> store = List.of("admin.enabled=false");

            CliRun hold = mta(api, "queue", "hold", "--domain", "example.org");
            assertThat(hold.code()).as(hold.err()).isZero();
            assertThat(hold.out()).isEqualTo("hold: 2 recipients in 2 messages\n");
            assertThat(access.all()).contains("using the running relay's admin API at http://127.0.0.1:"
                    + relay.adminAddress().getPort() + "/");
            // The relay logs who did it and from where.
            assertThat(actions.all()).containsPattern("queue hold by operator=" + USER
                    + " from=127\\.0\\.0\\.1:\\d+ selection=\\[domain=example\\.org\\]: 2 recipient\\(s\\) in 2 message\\(s\\)");

            // Each read prints the same through the API as straight from the store.
            for (String[] command : List.of(new String[] {"queue", "list"}, new String[] {"queue", "list", "--json"},
                    new String[] {"queue", "list", "--state", "held", "--older-than", "0s"},
                    new String[] {"queue", "list", "--reply", "TRY LATER", "--sender", "alice@sender.example"},
                    new String[] {"queue", "show", bob.toString()}, new String[] {"queue", "show", bob.toString(), "--body"},
                    new String[] {"queue", "summary"}, new String[] {"queue", "summary", "--top", "0"})) {
                CliRun throughApi = mta(api, command);
                CliRun direct = mta(store, command);
                assertThat(throughApi.code()).as(String.join(" ", command) + ": " + throughApi.err()).isZero();
                assertThat(withoutAges(throughApi.out())).as(String.join(" ", command)).isEqualTo(withoutAges(direct.out()));
            }
            access.clear();
            assertThat(mta(api, "queue", "list", "--state", "held").out()).contains(bob.toString()).contains(carol.toString())
                    .doesNotContain(dave.toString());
            assertThat(mta(api, "queue", "show", bob.toString(), "--body").out())
                    .contains("bob@example.org  state=held attempts=1").contains("message:").contains("  Subject: managed")
                    .contains("\n  x\n");
            assertThat(mta(api, "queue", "summary").out()).contains("4.3.2 try later").contains("3 messages in the queue");
            assertThat(access.all()).doesNotContain("opening the queue store directly", "connection refused");

            // Released through the API, the mail leaves at once: the relay's delivery is woken.
            mx.resetReplies();
            CliRun release = mta(api, "queue", "release", bob.toString());
            long released = System.nanoTime();
            assertThat(release.out()).isEqualTo("release: 1 recipient in 1 message\n");
            assertThat(mx.awaitMessages(1, WAIT)).hasSize(1);
            assertThat(Duration.ofNanos(System.nanoTime() - released)).isLessThan(AT_ONCE);

            CliRun flush = mta(api, "queue", "flush", dave.toString());
            long flushed = System.nanoTime();
            assertThat(flush.out()).isEqualTo("1 recipient due now\n");
            assertThat(mx.awaitMessages(2, WAIT)).hasSize(2);
            assertThat(Duration.ofNanos(System.nanoTime() - flushed)).isLessThan(AT_ONCE);
            assertThat(actions.all()).containsPattern("queue flush by operator=" + USER + " from=127\\.0\\.0\\.1:\\d+ id=" + dave
                    + ": 1 recipient\\(s\\) due now");

            assertThat(mta(api, "queue", "requeue", carol.toString()).out()).isEqualTo("requeue: 1 recipient in 1 message\n");
            mx.reply(ReplyPoint.RCPT, 451, "4.3.2 try later");
            assertThat(mta(api, "queue", "hold", "--state", "queued", "--state", "deferred", "--state", "held").code()).isZero();
            CliRun bounce = mta(api, "queue", "bounce", "--recipient", "carol@example.org", "--reason", "left the company");
            assertThat(bounce.code()).as(bounce.err()).isZero();
            assertThat(actions.all()).contains("queue bounce by operator=" + USER);

            CliRun everything = mta(api, "queue", "delete", "--yes");
            assertThat(everything.code()).isEqualTo(64);
            assertThat(everything.err()).contains("delete needs queue ids or a filter");
            CliRun refused = mta(api, "queue", "delete", bob.toString());
            assertThat(refused.code()).isEqualTo(75);
            assertThat(refused.err()).contains("add --yes").contains("nothing deleted");
            assertThat(mta(api, "queue", "delete", "--yes", "--sender", "nobody@nowhere.example").out())
                    .isEqualTo("delete: 0 recipients in 0 messages\n");

            CliRun missing = mta(api, "queue", "show", "0123456789AB");
            assertThat(missing.code()).isEqualTo(65);
            assertThat(missing.err()).isEqualTo("mta: no message 0123456789AB in the queue\n");
            assertThat(mta(store, "queue", "show", "0123456789AB").err()).isEqualTo(missing.err());
            CliRun flushMissing = mta(api, "queue", "flush", "0123456789AB");
            assertThat(flushMissing.code()).isEqualTo(65);
            assertThat(flushMissing.err()).isEqualTo(missing.err());
        }
    }

    @Test
    void withNothingListeningOrTheListenerOffItOpensTheStore() throws Exception {
        builder = TestRelay.in(dir).option("admin.enabled", "false");
        try (TestRelay relay = builder.start();
                LogLines access = LogLines.of("dev.mta.server.cli.QueueAccess", "DEBUG");
                LogLines actions = LogLines.of("dev.mta.admin", "INFO")) {
            QueueId queued = relay.submit("bob@example.org", "Subject: direct\r\n\r\nx\r\n");

            CliRun off = mta(List.of("admin.enabled=false"), "queue", "list");
            assertThat(off.code()).as(off.err()).isZero();
            assertThat(off.out()).contains(queued.toString());
            assertThat(access.all()).contains("admin.enabled = false: opening the queue store directly");

            int closed;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                closed = socket.getLocalPort();
            }
            CliRun refused = mta(List.of("admin.enabled=true", "admin.port=" + closed), "queue", "hold", queued.toString());
            assertThat(refused.code()).as(refused.err()).isZero();
            assertThat(refused.out()).isEqualTo("hold: 1 recipient in 1 message\n");
            assertThat(access.all()).contains("nothing listens at http://127.0.0.1:" + closed
                    + "/ (connection refused): opening the queue store directly");
            assertThat(actions.all()).contains("queue hold by user=" + USER + " selection=[ids=" + queued + "]");
            assertThat(relay.detail(queued).recipients().getFirst().state()).isEqualTo(RecipientState.HELD);
        }
    }

    @Test
    void aWrongOrMissingTokenIsAClearErrorAndNothingFallsBack() throws Exception {
        Path token = Files.writeString(dir.resolve("admin.token"), "relay-t0ken\n");
        Path wrong = Files.writeString(dir.resolve("wrong.token"), "not-the-t0ken\n");
        builder = TestRelay.in(dir).option("admin.token-file", "\"" + token + "\"");
        try (TestRelay relay = builder.start(); LogLines access = LogLines.of("dev.mta.server.cli.QueueAccess", "DEBUG")) {
            QueueId queued = relay.submit("bob@example.org", "Subject: token\r\n\r\nx\r\n");
            String port = "admin.port=" + relay.adminAddress().getPort();

            CliRun right = mta(List.of(port), "queue", "list");
            assertThat(right.code()).as(right.err()).isZero();
            assertThat(right.out()).contains(queued.toString());

            CliRun refused = mta(List.of(port, "admin.token-file=\"" + wrong + "\""), "queue", "hold", queued.toString());
            assertThat(refused.code()).isEqualTo(69);
            assertThat(refused.err()).isEqualTo("mta: the admin listener at http://127.0.0.1:" + relay.adminAddress().getPort()
                    + "/ refused the request (401): the token in admin.token-file is not the relay's\n");
            assertThat(relay.detail(queued).recipients().getFirst().state()).isEqualTo(RecipientState.QUEUED);
            assertThat(access.all()).doesNotContain("opening the queue store directly");

            Path empty = Files.writeString(dir.resolve("empty.token"), "\n");
            CliRun unusable = mta(List.of(port, "admin.token-file=\"" + empty + "\""), "queue", "list");
            assertThat(unusable.code()).isEqualTo(78);
            assertThat(unusable.err()).isEqualTo("mta: " + empty + " is empty: it should hold the admin token\n");
        }
    }

    @Test
    void aListenerThatFailsIsAnErrorNotAReasonToOpenTheStore() throws Exception {
        builder = TestRelay.in(dir);
        try (RelayMetrics metrics = RelayMetrics.create();
                AdminServer failing = AdminServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Optional.empty(),
                        metrics, List.of(), List.of(AdminRoute.get("/api/queue/summary", request -> {
                            throw new IllegalStateException("store closed");
                        }), AdminRoute.get("/api/queue/messages", request -> AdminResponse.text(503, "stopping\n"))),
                        AdminServer.IDLE_TIMEOUT)) {
            List<String> there = List.of("admin.port=" + failing.boundAddress().getPort());
            CliRun summary = mta(there, "queue", "summary");
            assertThat(summary.code()).isEqualTo(69);
            assertThat(summary.err()).contains("answered 500: internal error: java.lang.IllegalStateException: store closed");
            CliRun list = mta(there, "queue", "list");
            assertThat(list.code()).isEqualTo(69);
            assertThat(list.err()).contains("answered 503: stopping");
        }
    }

    /** "(0m3s ago)": the age at the moment of printing, which two runs may see a second apart. */
    private static String withoutAges(String output) {
        return output.replaceAll("\\(\\d+[dhm]\\d+[hms]( ago\\))", "(AGE$1");
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
}
