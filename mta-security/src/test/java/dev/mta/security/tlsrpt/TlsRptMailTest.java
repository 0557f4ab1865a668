package dev.mta.security.tlsrpt;

import dev.mta.testsupport.tlsrpt.ReportSchema;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.mta.testsupport.smtp.ReceivedMessage;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A report as email (RFC 8460 5.3). */
class TlsRptMailTest {

    private static final Instant NOW = Instant.parse("2026-11-23T06:00:00Z");

    private final TlsRptReport report = DayOfSessions.report(DayOfSessions.settings());
    private final ReportMessage mail = TlsRptMail.compose(report, List.of("tlsrpt@example.net"), NOW);

    @Test
    void envelopeGoesFromTheContactToTheRuaMailboxes() {
        ReportMessage toTwo = TlsRptMail.compose(report, List.of("a@example.net", "b@example.net"), NOW);

        assertThat(toTwo.envelopeSender()).isEqualTo("tlsrpt@mta.example.org");
        assertThat(toTwo.recipients()).containsExactly("a@example.net", "b@example.net");
        assertThat(MimeReport.parse(toTwo.content()).headers().get("to")).isEqualTo("a@example.net, b@example.net");
    }

    @Test
    void headerHasTheRequiredSubjectAndReportFields() {
        MimeReport parsed = MimeReport.parse(mail.content());

        assertThat(parsed.headers().get("subject")).isEqualTo(
                "Report Domain: example.net Submitter: mta.example.org"
                        + " Report-ID: <2026-11-22.example.net@mta.example.org>");
        assertThat(parsed.headers().get("tls-report-domain")).isEqualTo("example.net");
        assertThat(parsed.headers().get("tls-report-submitter")).isEqualTo("mta.example.org");
        assertThat(parsed.headers().get("from")).isEqualTo("tlsrpt@mta.example.org");
        assertThat(parsed.headers().get("date")).isEqualTo("Mon, 23 Nov 2026 06:00:00 +0000");
        assertThat(parsed.headers().get("message-id")).isEqualTo("<2026-11-22.example.net@mta.example.org>");
        assertThat(parsed.headers().get("tls-required")).isEqualTo("No");
        assertThat(parsed.headers().get("auto-submitted")).isEqualTo("auto-generated");
        assertThat(parsed.headers().get("mime-version")).isEqualTo("1.0");
        assertThat(parsed.headers().get("content-type")).startsWith("multipart/report; report-type=\"tlsrpt\";");
    }

    @Test
    void bodyIsATextPartAndTheGzippedReportNamedAsRfc8460Says() {
        MimeReport parsed = MimeReport.parse(mail.content());

        assertThat(parsed.parts()).hasSize(2);
        MimeReport.Part text = parsed.parts().get(0);
        assertThat(text.headers().get("content-type")).startsWith("text/plain");
        assertThat(text.body()).contains("aggregate TLS report", "mta.example.org", "example.net");
        MimeReport.Part attachment = parsed.parts().get(1);
        assertThat(attachment.headers().get("content-type")).isEqualTo("application/tlsrpt+gzip");
        assertThat(attachment.headers().get("content-transfer-encoding")).isEqualTo("base64");
        assertThat(attachment.headers().get("content-disposition"))
                .isEqualTo("attachment; filename=\"" + report.fileName() + "\"");
        byte[] json = ReportSchema.gunzip(attachment.decodedBody());
        assertThat(json).isEqualTo(report.json());
        assertThat(ReportSchema.problems(json)).isEmpty();
    }

    @Test
    void messageIsSevenBitWithCrlfLinesOfLegalLength() {
        String text = new String(mail.content(), StandardCharsets.US_ASCII);

        for (byte b : mail.content()) {
            assertThat(b & 0xff).isLessThan(128);
        }
        assertThat(text.replace("\r\n", "")).doesNotContain("\r", "\n");
        assertThat(text.split("\r\n")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
    }

    @Test
    void aMailedReportNeedsARecipient() {
        assertThatIllegalArgumentException().isThrownBy(() -> TlsRptMail.compose(report, List.of(), NOW));
    }

    @Test
    void aReceiverGetsAReportThatValidatesOverRealSmtp() throws Exception {
        try (SmtpSinkServer receiver = SmtpSinkServer.start();
             SmtpTestClient client = SmtpTestClient.connect(receiver.host(), receiver.port())) {
            assertThat(client.readReply().code()).isEqualTo(220);
            assertThat(client.ehlo("mta.example.org").code()).isEqualTo(250);
            assertThat(client.command("MAIL FROM:<" + mail.envelopeSender() + ">").code()).isEqualTo(250);
            for (String recipient : mail.recipients()) {
                assertThat(client.command("RCPT TO:<" + recipient + ">").code()).isEqualTo(250);
            }
            assertThat(client.data(new String(mail.content(), StandardCharsets.US_ASCII)).code()).isEqualTo(250);

            ReceivedMessage received = receiver.awaitMessages(1, Duration.ofSeconds(5)).getFirst();
            MimeReport parsed = MimeReport.parse(received.data());
            assertThat(parsed.headers().get("tls-report-domain")).isEqualTo("example.net");
            byte[] json = ReportSchema.gunzip(parsed.parts().get(1).decodedBody());
            assertThat(ReportSchema.problems(json)).isEmpty();
            assertThat(ReportSchema.parse(json).get("policies")).hasSize(2);
        }
    }
}
