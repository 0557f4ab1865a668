package dev.mta.delivery.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.apache.james.mime4j.dom.Entity;
import org.junit.jupiter.api.Test;

/** RFC 6533: DSNs for messages that were sent with SMTPUTF8, and UTF-8 addresses in 7-bit DSNs. */
class InternationalDsnTest {

    private static final String ORIGINAL =
            "From: \u00c6lfred <\u00e6lfred@example.org>\r\nTo: j\u00f6rg@b\u00fccher.example\r\n"
                    + "Subject: Gr\u00fc\u00dfe\r\n\r\nHallo J\u00f6rg!\r\n";

    private static DsnRecipient joerg(Optional<String> orcpt) {
        return new DsnRecipient("j\u00f6rg@b\u00fccher.example", orcpt, DsnAction.FAILED, "5.1.1",
                Optional.of("mx.example.de"), Optional.of(DsnDiagnostic.smtpReply("550 5.1.1 Empf\u00e4nger unbekannt")),
                Optional.of(Reports.LAST_ATTEMPT), Optional.empty());
    }

    private static DsnReport report(boolean international, String sender, Optional<ReturnContent> ret,
            DsnRecipient... recipients) {
        return new DsnReport("relay.example.net", sender, Optional.empty(), Reports.ARRIVAL, "4bXyZ3",
                List.of(recipients), ret, international, Reports.NOW, DsnReport.mailerDaemonAt("relay.example.net"));
    }

    @Test
    void anInternationalFailureUsesTheGlobalTypes() {
        Reports.Written written = Reports.compose(
                report(true, "\u00e6lfred@example.org", Optional.empty(), joerg(Optional.empty())), Reports.original(ORIGINAL));

        ParsedDsn dsn = written.parsed();
        assertThat(dsn.reportType()).isEqualTo("delivery-status");
        assertThat(dsn.parts()).extracting(Entity::getMimeType)
                .containsExactly("text/plain", "message/global-delivery-status", "message/global");
        assertThat(dsn.part(0).getCharset()).isEqualToIgnoringCase("utf-8");
        assertThat(dsn.parts()).extracting(Entity::getContentTransferEncoding).containsOnly("8bit");
        assertThat(dsn.partText(2)).isEqualTo(ORIGINAL);
    }

    @Test
    void anInternationalDsnNeedsSmtpUtf8And8BitMime() {
        ComposedDsn composed = Reports.compose(
                report(true, "\u00e6lfred@example.org", Optional.empty(), joerg(Optional.empty())),
                Reports.original(ORIGINAL)).composed();

        assertThat(composed.smtpUtf8()).isTrue();
        assertThat(composed.eightBitMime()).isTrue();
    }

    @Test
    void headersOnlyUseMessageGlobalHeaders() {
        Reports.Written written = Reports.compose(
                report(true, "\u00e6lfred@example.org", Optional.of(ReturnContent.HEADERS), joerg(Optional.empty())),
                Reports.original(ORIGINAL));

        ParsedDsn dsn = written.parsed();
        assertThat(dsn.part(2).getMimeType()).isEqualTo("message/global-headers");
        assertThat(dsn.partText(2)).isEqualTo(ORIGINAL.substring(0, ORIGINAL.indexOf("\r\n\r\n") + 2));
    }

    @Test
    void utf8AddressesAreWrittenAsTheyAreInGlobalDeliveryStatus() {
        Reports.Written written = Reports.compose(report(true, "alice@example.org", Optional.empty(),
                joerg(Optional.of("utf-8;j\\x{F6}rg@b\\x{FC}cher.example")), Reports.failed("bob@example.com")),
                Reports.original(ORIGINAL));

        var status = written.parsed().deliveryStatus();
        assertThat(status.recipients().get(0))
                .containsEntry("Original-Recipient", "utf-8; j\u00f6rg@b\u00fccher.example")
                .containsEntry("Final-Recipient", "utf-8; j\u00f6rg@b\u00fccher.example")
                .containsEntry("Diagnostic-Code", "smtp; 550 5.1.1 Empf\u00e4nger unbekannt");
        // An ASCII address keeps the rfc822 type.
        assertThat(status.recipients().get(1)).containsEntry("Final-Recipient", "rfc822; bob@example.com");
    }

    @Test
    void theSenderIsAddressedInUtf8() {
        Reports.Written written = Reports.compose(
                report(true, "\u00e6lfred@example.org", Optional.empty(), joerg(Optional.empty())), Reports.original(ORIGINAL));

        assertThat(written.bytes()).containsSequence("\r\nTo: \u00e6lfred@example.org\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(written.parsed().notice()).contains("<j\u00f6rg@b\u00fccher.example>: host mx.example.de said:")
                .contains("550 5.1.1 Empf\u00e4nger unbekannt");
    }

    @Test
    void anAllAsciiInternationalOriginalNeedsNo8BitMime() {
        ComposedDsn composed = Reports.compose(
                report(true, "alice@example.org", Optional.empty(), Reports.failed("bob@example.com")),
                Reports.original(Reports.ORIGINAL)).composed();

        assertThat(composed.smtpUtf8()).isTrue();
        assertThat(composed.eightBitMime()).isFalse();
    }

    @Test
    void aNonAsciiAddressInASevenBitReportUsesUtf8AddrXtext() {
        Reports.Written written = Reports.compose(
                report(false, "alice@example.org", Optional.empty(),
                        joerg(Optional.of("utf-8;j\\x{F6}rg+news@b\\x{FC}cher.example"))),
                Reports.original(Reports.ORIGINAL));

        var fields = DeliveryStatusGrammar.only(written.parsed().deliveryStatus());
        assertThat(fields)
                .containsEntry("Original-Recipient", "utf-8; j\\x{F6}rg\\x{2B}news@b\\x{FC}cher.example")
                .containsEntry("Final-Recipient", "utf-8; j\\x{F6}rg@b\\x{FC}cher.example")
                .containsEntry("Diagnostic-Code", "smtp; 550 5.1.1 Empf?nger unbekannt");
        assertThat(written.parsed().part(1).getMimeType()).isEqualTo("message/delivery-status");
        assertThat(written.composed().eightBitMime()).isFalse();
        assertThat(written.composed().smtpUtf8()).isFalse();
        for (byte b : written.bytes()) {
            assertThat(b).isNotNegative();
        }
    }
}
