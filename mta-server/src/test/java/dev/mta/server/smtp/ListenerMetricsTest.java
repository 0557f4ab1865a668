package dev.mta.server.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mta.server.Scrapes;
import dev.mta.server.TestRelay;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The listener's meters and connection log lines after known traffic. */
class ListenerMetricsTest {
    @TempDir
    Path dir;

    @Test
    void acceptedMessagesRefusalsAndConnectionsAreCounted() throws Exception {
        Logger gateLog = (Logger) LoggerFactory.getLogger(ConnectionGate.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        gateLog.addAppender(lines);
        try (TestRelay relay = TestRelay.in(dir).option("smtp.max-recipients", "1").start()) {
            relay.submit("one@example.org", "Subject: 1\r\n\r\nx\r\n");
            relay.submit("two@example.org", "Subject: 2\r\n\r\nx\r\n");
            try (SmtpTestClient client = relay.connect("relay")) {
                client.readReply();
                client.ehlo("client.test");
                client.command("MAIL FROM:<alice@sender.example>");
                client.command("RCPT TO:<a@example.org>");
                assertThat(client.command("RCPT TO:<b@example.org>").code()).isEqualTo(452);
                assertThat(client.command("FROBNICATE").code()).isEqualTo(500);
                client.command("QUIT");
            }
            Scrapes.when(relay, m -> m.contains("mta_smtp_connections_active{listener=\"relay\"} 0.0"));
            String scrape = relay.metrics().scrape();

            assertThat(Scrapes.value(scrape, "mta_smtp_messages_accepted_total{listener=\"relay\"}")).isEqualTo(2.0);
            assertThat(Scrapes.value(scrape, "mta_smtp_accept_seconds_count{listener=\"relay\"}")).isEqualTo(2.0);
            assertThat(Scrapes.value(scrape, "mta_smtp_rejections_total{command=\"RCPT\",listener=\"relay\",status=\"4.5.3\"}"))
                    .isEqualTo(1.0);
            assertThat(Scrapes.value(scrape, "mta_smtp_rejections_total{command=\"OTHER\",listener=\"relay\",status=\"5.5.1\"}"))
                    .isEqualTo(1.0);
            assertThat(Scrapes.value(scrape, "mta_smtp_connections_total{listener=\"relay\",result=\"accepted\"}")).isEqualTo(3.0);
            assertThat(scrape).doesNotContain("status=\"2.");
        } finally {
            gateLog.detachAppender(lines);
        }
        assertThat(lines.list).filteredOn(e -> e.getFormattedMessage().startsWith("connect from=127.0.0.1:")).hasSize(3);
        assertThat(lines.list).filteredOn(e -> e.getFormattedMessage().matches(
                "disconnect from=127\\.0\\.0\\.1:\\d+ listener=relay duration=\\d+ms tls=none")).hasSize(3);
    }
}
