package dev.mta.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.server.TestRelay;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mta reload} against a running relay: applied, refused with the reason, or no relay to ask. */
class ReloadCommandTest {
    @TempDir
    Path dir;

    private static CliRun mta(List<String> overrides, String... args) {
        return CliRun.mta(overrides, args);
    }

    /** The relay's own options, and the admin port it really bound (the CLI cannot find port 0). */
    private static List<String> cliOptions(TestRelay relay) {
        List<String> options = new ArrayList<>(relay.overrides());
        options.add("admin.port=" + relay.adminAddress().getPort());
        return options;
    }

    private static int secondRecipient(TestRelay relay) throws Exception {
        try (SmtpTestClient client = relay.connect("relay")) {
            client.readReply();
            client.ehlo("client.test");
            client.command("MAIL FROM:<alice@sender.example>");
            client.command("RCPT TO:<one@example.org>");
            return client.command("RCPT TO:<two@example.org>").code();
        }
    }

    @Test
    void reloadAppliesTheNewConfigurationAndNamesWhatNeedsARestart() throws Exception {
        try (TestRelay relay = TestRelay.in(dir).start()) {
            relay.option("smtp.max-recipients", "1");
            relay.option("delivery.max-connections", "70");

            CliRun run = mta(cliOptions(relay), "reload");

            assertThat(run.code()).as(run.err()).isZero();
            assertThat(run.out()).contains("reloaded")
                    .contains("take effect at the next restart: delivery.max-connections");
            assertThat(secondRecipient(relay)).isEqualTo(452);
        }
    }

    @Test
    void aFileThatDoesNotParseIsCaughtBeforeTheRelayIsAsked() throws Exception {
        try (TestRelay relay = TestRelay.in(dir).start()) {
            relay.option("smtp.max-recipients", "lots");

            CliRun run = mta(cliOptions(relay), "reload");

            assertThat(run.code()).isEqualTo(78);
            assertThat(run.err()).contains("smtp.max-recipients").contains("lots");
            assertThat(secondRecipient(relay)).isEqualTo(250);
        }
    }

    @Test
    void whatTheRelayRefusesComesBackWithItsReasonAndExit78() throws Exception {
        try (TestRelay relay = TestRelay.in(dir).user("alice", "secret").start()) {
            Path users = relay.config().smtp().usersFile().orElseThrow();
            java.nio.file.Files.writeString(users, "a line without the colon\n");

            CliRun run = mta(cliOptions(relay), "reload");

            assertThat(run.code()).isEqualTo(78);
            assertThat(run.err()).contains("refused, the running configuration stays").contains("expected name:hash");
            assertThat(secondRecipient(relay)).isEqualTo(250);
        }
    }

    @Test
    void withoutARunningRelayItSaysSoAndHowToSignal() {
        CliRun run = mta(List.of("admin.port=1", "data-directory=\"" + dir.resolve("data") + "\""), "reload");

        assertThat(run.code()).isEqualTo(69);
        assertThat(run.err()).contains("is it running?").contains("SIGHUP");
    }
}
