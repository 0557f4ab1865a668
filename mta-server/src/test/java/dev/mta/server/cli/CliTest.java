package dev.mta.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.Diagnosis;
import dev.mta.queue.MessageStore;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientRef;
import dev.mta.queue.Settlement;
import dev.mta.security.users.UsersFile;
import dev.mta.server.TestRelay;
import dev.mta.testsupport.smtp.SmtpReply;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mta command: exit codes (sysexits) and output of check-config, queue and user. */
class CliTest {
    private static final String CONFIG = "../conf/mta.conf";

    record Result(int code, String out, String err) {
    }

    private static Result run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private static List<String> args(String... words) {
        return new ArrayList<>(List.of(words));
    }

    @Test
    void checkConfigPrintsEffectiveKeysAndSucceeds() {
        Result result = run(args("check-config", "-c", CONFIG, "-o", "smtp.max-recipients=42"));
        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("smtp.max-recipients = 42    # -o smtp.max-recipients=42")
                .contains("smtp.listeners.relay.port = 2525    # " + CONFIG + ":")
                .contains("# configuration OK");
    }

    @Test
    void badConfigurationExits78WithFileLineAndKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "smtp {\n  max-recipients = lots\n}\n");
        Result result = run(args("check-config", "-c", file.toString()));
        assertThat(result.code()).isEqualTo(78);
        assertThat(result.err()).contains(file + ":2: smtp.max-recipients: expected a whole number, not 'lots'");
    }

    @Test
    void unknownCommandOrFlagExits64() {
        assertThat(run(args("frobnicate")).code()).isEqualTo(64);
        assertThat(run(args("check-config", "--bogus")).code()).isEqualTo(64);
        assertThat(run(args()).code()).isEqualTo(64);
    }

    @Test
    void userAddWritesAHashNeverThePassword(@TempDir Path dir) throws Exception {
        Path users = dir.resolve("users");
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("pa55 word\n".getBytes(StandardCharsets.UTF_8)));
            Result result = run(args("user", "add", "carol", "--password-stdin", "-c", CONFIG,
                    "-o", "smtp.users-file=\"" + users + "\""));
            assertThat(result.code()).as(result.err()).isZero();
        } finally {
            System.setIn(stdin);
        }
        String text = Files.readString(users);
        assertThat(text).startsWith("carol:$argon2id$").doesNotContain("pa55");
        assertThat(UsersFile.load(users).authenticate("carol", "pa55 word".toCharArray())).isTrue();
        assertThat(Files.getPosixFilePermissions(users)).extracting(Object::toString).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    }

    @Test
    void userAddWithoutAUsersFileSettingExits78() {
        Result result = run(args("user", "add", "carol", "--password-stdin", "-c", CONFIG));
        assertThat(result.code()).isEqualTo(78);
        assertThat(result.err()).contains("smtp.users-file is not set");
    }

    @Test
    void queueListAndShowWhileTheRelayRunsAndAfterItStopped(@TempDir Path dir) throws Exception {
        TestRelay.Builder builder = TestRelay.in(dir);
        List<String> options = new ArrayList<>();
        String id;
        try (TestRelay relay = builder.start()) {
            for (String override : builder.overrides()) {
                options.add("-o");
                options.add(override);
            }
            Result empty = run(concat(args("queue", "list", "-c", CONFIG), options));
            assertThat(empty.code()).as(empty.err()).isZero();
            assertThat(empty.out()).contains("Mail queue is empty");

            try (SmtpTestClient client = relay.connect("relay")) {
                client.readReply();
                client.ehlo("client.test");
                client.command("MAIL FROM:<sender@example.org> ENVID=env-1");
                client.command("RCPT TO:<one@example.net>");
                client.command("RCPT TO:<two@example.com>");
                SmtpReply reply = client.data("Subject: listed\r\n\r\nhi\r\n");
                id = TestRelay.queueIdFrom(reply.text()).value();
            }
            Result list = run(concat(args("queue", "list", "-c", CONFIG), options));
            assertThat(list.code()).isZero();
            assertThat(list.out()).contains(id).contains("sender@example.org").contains("one@example.net  [queued]")
                    .contains("two@example.com  [queued]").contains("in 1 Request, 2 Recipients.");

            Result show = run(concat(args("queue", "show", id.toLowerCase(), "-c", CONFIG), options));
            assertThat(show.code()).as(show.err()).isZero();
            assertThat(show.out()).contains("id: " + id).contains("sender: <sender@example.org>")
                    .contains("dsn-envid: env-1").contains("one@example.net  state=queued attempts=0");

            Result missing = run(concat(args("queue", "show", "AAAAAAAAAAAA", "-c", CONFIG), options));
            assertThat(missing.code()).isEqualTo(65);
            assertThat(missing.err()).contains("no message AAAAAAAAAAAA");
            assertThat(run(concat(args("queue", "show", "not-an-id", "-c", CONFIG), options)).code()).isEqualTo(64);
        }
        Result flushOne = run(concat(args("queue", "flush", id, "-c", CONFIG), options));
        assertThat(flushOne.code()).as(flushOne.err()).isZero();
        assertThat(flushOne.out()).contains("2 recipients due now");
        assertThat(run(concat(args("queue", "flush", "AAAAAAAAAAAA", "-c", CONFIG), options)).code()).isEqualTo(65);
        // The relay has stopped: the CLI opens the queue itself.
        Result afterStop = run(concat(args("queue", "show", id, "-c", CONFIG), options));
        assertThat(afterStop.code()).as(afterStop.err()).isZero();
        assertThat(afterStop.out()).contains("two@example.com  state=queued attempts=0");
        Result flushAll = run(concat(args("queue", "flush", "-c", CONFIG), options));
        assertThat(flushAll.out()).contains("2 recipients due now");
        Result listAfterStop = run(concat(args("queue", "list", "-c", CONFIG), options));
        assertThat(listAfterStop.out()).contains(id).contains("in 1 Request, 2 Recipients.");
    }

    /** A message whose recipients are settled but whose DSN is owed is still queued, and shown so. */
    @Test
    void queueListAndShowABouncedRecipientWhoseNoticeIsPending(@TempDir Path dir) throws Exception {
        TestRelay.Builder builder = TestRelay.in(dir);
        List<String> options = new ArrayList<>();
        try (TestRelay relay = builder.start()) {
            for (String override : builder.overrides()) {
                options.add("-o");
                options.add(override);
            }
            QueueId id;
            try (SmtpTestClient client = relay.connect("relay")) {
                client.readReply();
                client.ehlo("client.test");
                client.command("MAIL FROM:<sender@example.org>");
                client.command("RCPT TO:<gone@example.net>");
                id = TestRelay.queueIdFrom(client.data("Subject: bounced\r\n\r\nhi\r\n").text());
            }
            MessageStore store = relay.store();
            store.claimDue(Instant.now().plusSeconds(1), 10, "test-worker", Duration.ofMinutes(1));
            store.settle(new RecipientRef(id, 0), "test-worker", new Settlement.Bounced(
                    Diagnosis.remote("5.1.1", "550 5.1.1 <gone@example.net>: user unknown", "mx.example.net"), true));

            Result list = run(concat(args("queue", "list", "-c", CONFIG), options));
            assertThat(list.code()).as(list.err()).isZero();
            assertThat(list.out()).contains(id.value()).contains("(550 5.1.1 <gone@example.net>: user unknown)")
                    .contains("gone@example.net  [bounced, notice pending]");
            Result show = run(concat(args("queue", "show", id.value(), "-c", CONFIG), options));
            assertThat(show.out()).contains("gone@example.net  state=bounced attempts=1 notice-pending=failure");
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
