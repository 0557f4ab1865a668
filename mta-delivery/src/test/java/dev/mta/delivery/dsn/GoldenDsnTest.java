package dev.mta.delivery.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * Given fixed tokens and instants, the composer writes the same bytes every time. The expected files
 * under src/test/resources/dsn/ were checked by reading them; a change to the output shows up here as
 * a readable diff.
 */
class GoldenDsnTest {

    @Test
    void failedAndDelayedReportMatchesTheGoldenFile() throws IOException {
        DsnRecipient failed = new DsnRecipient("bob@example.com", Optional.of("rfc822;bob@example.com"),
                DsnAction.FAILED, "5.1.1", Optional.of("mx.example.com"),
                Optional.of(DsnDiagnostic.smtpReply(
                        "550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n"
                                + "550-5.1.1 double-checking the recipient's email address for typos or\r\n"
                                + "550 5.1.1 unnecessary spaces.")),
                Optional.of(Reports.LAST_ATTEMPT), Optional.empty());
        DsnReport report = Reports.withEnvelopeId(
                Reports.report(List.of(failed, Reports.delayed("carol@example.net"))), "QQ-2025-0603-17");

        Reports.Written written = Reports.compose(report, Reports.original(Reports.ORIGINAL));

        assertThat(written.text()).isEqualTo(golden("dsn/failed-and-delayed.eml"));
    }

    @Test
    void internationalHeadersOnlyReportMatchesTheGoldenFile() throws IOException {
        DsnRecipient failed = new DsnRecipient("jörg@bücher.example", Optional.of("utf-8;j\\x{F6}rg@b\\x{FC}cher.example"),
                DsnAction.FAILED, "5.1.1", Optional.of("mx.bücher.example"),
                Optional.of(DsnDiagnostic.smtpReply("550 5.1.1 Unbekannter Empfänger")),
                Optional.of(Reports.LAST_ATTEMPT), Optional.empty());
        DsnReport report = new DsnReport("relay.example.net", "ælfred@example.org", Optional.empty(), Reports.ARRIVAL,
                "4bXyZ2", List.of(failed), Optional.of(ReturnContent.HEADERS), true, Reports.NOW,
                DsnReport.mailerDaemonAt("relay.example.net"));

        Reports.Written written = Reports.compose(report, Reports.original(
                "From: Ælfred <ælfred@example.org>\r\nTo: jörg@bücher.example\r\nSubject: Grüße\r\n\r\nHallo!\r\n"));

        assertThat(written.text()).isEqualTo(golden("dsn/international-headers.eml"));
    }

    private static String golden(String resource) throws IOException {
        try (InputStream in = GoldenDsnTest.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
