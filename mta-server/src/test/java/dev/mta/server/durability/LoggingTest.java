package dev.mta.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mta.server.cli.Main;
import dev.mta.testsupport.smtp.SmtpReply;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The logging keys, on a real relay process: JSON lines, and levels per logger. */
class LoggingTest {
    @TempDir
    Path dir;

    private static String submit(RelayProcess relay) throws Exception {
        try (SmtpTestClient client = SmtpTestClient.connect("127.0.0.1", relay.port(), Duration.ofSeconds(10))) {
            client.readReply();
            client.ehlo("client.test");
            client.command("MAIL FROM:<alice@sender.example>");
            client.command("RCPT TO:<bob@example.org>");
            SmtpReply reply = client.data("Subject: logged\r\n\r\nx\r\n");
            assertThat(reply.code()).isEqualTo(250);
            return reply.text().substring(reply.text().lastIndexOf(' ') + 1);
        }
    }

    @Test
    void jsonLinesCarryTheSameEvents() throws Exception {
        RelayProcess relay = RelayProcess.start(dir, "json", List.of(), List.of("logging.format=json"));
        String id;
        try (relay) {
            id = submit(relay);
            assertThat(relay.stop()).isZero();
        }
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        for (String line : relay.log().lines().filter(l -> l.startsWith("{")).toList()) {
            events.add(json.readTree(line));
        }
        JsonNode accepted = events.stream().filter(e -> e.path("formattedMessage").asText().startsWith("accepted id=" + id))
                .findFirst().orElseThrow(() -> new AssertionError("no JSON accepted line in\n" + relay.log()));
        assertThat(accepted.get("level").asText()).isEqualTo("INFO");
        assertThat(accepted.get("loggerName").asText()).endsWith("DataReader");
        assertThat(accepted.path("formattedMessage").asText()).contains("from=<alice@sender.example> nrcpt=1");
        // Everything after the configuration is read comes as JSON.
        assertThat(relay.log().lines().filter(l -> l.contains("accepted id=")).toList()).allMatch(l -> l.startsWith("{"));
    }

    @Test
    void levelsPerLoggerQuietOrOpenOnePart() throws Exception {
        RelayProcess relay = RelayProcess.start(dir, "levels", List.of(),
                List.of("logging.levels.\"dev.mta.server.smtp.DataReader\"=warn"));
        try (relay) {
            submit(relay);
            assertThat(relay.stop()).isZero();
        }
        assertThat(relay.log()).doesNotContain("accepted id=").contains("relay started");
    }

    @Test
    void aBadLevelOrFormatIsAConfigurationError() {
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"check-config", "-c", "../conf/mta.conf", "-o", "logging.format=xml",
                "-o", "hostname=relay.test"}, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(78);
        assertThat(err.toString()).contains("logging.format: 'xml' is neither text nor json");
        err = new StringWriter();
        code = Main.run(new String[] {"check-config", "-c", "../conf/mta.conf", "-o", "logging.level=loud",
                "-o", "hostname=relay.test"}, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(78);
        assertThat(err.toString()).contains("logging.level: 'loud' is not a level");
    }
}
