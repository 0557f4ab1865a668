package dev.mta.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.testsupport.smtp.SmtpTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGHUP on a real relay process: the edited file is applied, a broken one is refused and logged. */
class SighupReloadTest {
    @TempDir
    Path dir;

    private static int secondRecipient(RelayProcess relay) throws Exception {
        try (SmtpTestClient client = relay.connect()) {
            client.readReply();
            client.ehlo("client.test");
            client.command("MAIL FROM:<alice@sender.example>");
            client.command("RCPT TO:<one@example.org>");
            return client.command("RCPT TO:<two@example.org>").code();
        }
    }

    @Test
    void sighupAppliesTheEditedFileAndRefusesABrokenOne() throws Exception {
        Path config = dir.resolve("mta.conf");
        Files.copy(RelayProcess.shippedConfig(), config);
        try (RelayProcess relay = RelayProcess.start(dir, "hup", List.of(), List.of(), config);
                SmtpTestClient open = relay.connect()) {
            open.readReply();
            open.ehlo("before.test");
            assertThat(secondRecipient(relay)).isEqualTo(250);

            // HOCON: a key set again further down wins.
            Files.writeString(config, "\nsmtp.max-recipients = 1\n", StandardOpenOption.APPEND);
            relay.signal("HUP");
            relay.awaitLogLine("reloaded configuration", Duration.ofSeconds(20));
            assertThat(secondRecipient(relay)).isEqualTo(452);

            Files.writeString(config, "\nsmtp.max-recipients = lots\n", StandardOpenOption.APPEND);
            relay.signal("HUP");
            String refused = relay.awaitLogLine("reload refused", Duration.ofSeconds(20));
            assertThat(refused).contains("mta.conf:").contains("smtp.max-recipients");
            assertThat(secondRecipient(relay)).as("the last good configuration stays").isEqualTo(452);

            // The session opened before both reloads was never dropped.
            assertThat(open.command("NOOP").code()).isEqualTo(250);
            open.command("QUIT");
            assertThat(relay.stop()).isZero();
        }
    }
}
