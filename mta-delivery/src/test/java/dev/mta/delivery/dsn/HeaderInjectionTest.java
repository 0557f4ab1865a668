package dev.mta.delivery.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.apache.james.mime4j.stream.Field;
import org.junit.jupiter.api.Test;

/**
 * Text from outside the relay (a remote server's reply, its host name, ENVID and ORCPT from the
 * sender) cannot add header fields to the DSN, fields or recipient groups to the delivery-status
 * part, or parts to the report.
 */
class HeaderInjectionTest {

    private static DsnRecipient failedWithReply(String reply) {
        return new DsnRecipient("bob@example.com", Optional.empty(), DsnAction.FAILED, "5.0.0",
                Optional.of("mx.example.com"), Optional.of(DsnDiagnostic.smtpReply(reply)), Optional.empty(),
                Optional.empty());
    }

    private static Reports.Written compose(DsnReport report) {
        return Reports.compose(report, Reports.original(Reports.ORIGINAL));
    }

    @Test
    void aLineBreakInAReplyCannotStartAField() {
        Reports.Written written = compose(Reports.report(List.of(
                failedWithReply("550 5.0.0 rejected\r\nX-Injected: yes\nStatus: 2.0.0\rAction: delivered"))));

        var fields = DeliveryStatusGrammar.only(written.parsed().deliveryStatus());
        assertThat(fields).doesNotContainKey("X-Injected")
                .containsEntry("Status", "5.0.0")
                .containsEntry("Action", "failed")
                .containsEntry("Diagnostic-Code",
                        "smtp; 550 5.0.0 rejected X-Injected: yes Status: 2.0.0 Action: delivered");
    }

    @Test
    void emptyLinesInAReplyCannotStartARecipientGroup() {
        Reports.Written written = compose(Reports.report(List.of(
                failedWithReply("550 no\r\n\r\nFinal-Recipient: rfc822; mallory@example.net\r\nAction: delivered\r\n"
                        + "Status: 2.0.0\r\n\r\n"))));

        var status = written.parsed().deliveryStatus();
        assertThat(status.recipients()).hasSize(1);
        assertThat(status.recipients().getFirst()).containsEntry("Final-Recipient", "rfc822; bob@example.com");
    }

    @Test
    void aReplyCannotCloseThePartWithTheBoundary() {
        Reports.Written written = compose(Reports.report(List.of(
                failedWithReply("550 x\r\n--=_token1\r\nContent-Type: text/html\r\n\r\n<b>hi</b>"))));

        assertThat(written.parsed().parts()).hasSize(3);
    }

    @Test
    void controlCharactersInAReplyAreDropped() {
        Reports.Written written = compose(Reports.report(List.of(failedWithReply("550 bad\u0000\u0007\u001b[31m\u007f\u0085 x"))));

        assertThat(DeliveryStatusGrammar.only(written.parsed().deliveryStatus()))
                .containsEntry("Diagnostic-Code", "smtp; 550 bad[31m x");
        for (byte b : written.bytes()) {
            assertThat(b == '\r' || b == '\n' || b == '\t' || (b >= 0x20 && b < 0x7f))
                    .as("byte %d", b).isTrue();
        }
    }

    @Test
    void nonAsciiInAReplyBecomesQuestionMarksInASevenBitReport() {
        Reports.Written written = compose(Reports.report(List.of(failedWithReply("550 Empf\u00e4nger unbekannt"))));

        assertThat(DeliveryStatusGrammar.only(written.parsed().deliveryStatus()))
                .containsEntry("Diagnostic-Code", "smtp; 550 Empf?nger unbekannt");
        assertThat(written.composed().eightBitMime()).isFalse();
    }

    @Test
    void aRemoteHostNameCannotAddAField() {
        DsnRecipient r = new DsnRecipient("bob@example.com", Optional.empty(), DsnAction.FAILED, "5.0.0",
                Optional.of("mx.example.com\r\nX-Injected: yes"), Optional.empty(), Optional.empty(), Optional.empty());

        var fields = DeliveryStatusGrammar.only(compose(Reports.report(List.of(r))).parsed().deliveryStatus());

        assertThat(fields).doesNotContainKey("X-Injected").containsEntry("Remote-MTA", "dns; mx.example.com");
    }

    @Test
    void anEnvelopeIdCannotAddAField() {
        // ENVID is xtext on the wire (RFC 3461 4.4): "+0D+0A" decodes to CRLF.
        DsnReport report = Reports.withEnvelopeId(Reports.report(List.of(Reports.failed("bob@example.com"))),
                "id42\r\nReporting-MTA: dns; evil.example");

        var status = compose(report).parsed().deliveryStatus();

        assertThat(status.perMessage()).containsEntry("Original-Envelope-Id", "id42 Reporting-MTA: dns; evil.example")
                .containsEntry("Reporting-MTA", "dns; relay.example.net");
    }

    @Test
    void anOriginalRecipientCannotAddAField() {
        DsnRecipient r = new DsnRecipient("bob@example.com", Optional.of("rfc822;bob@example.com\r\nAction: delivered"),
                DsnAction.FAILED, "5.0.0", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        var fields = DeliveryStatusGrammar.only(compose(Reports.report(List.of(r))).parsed().deliveryStatus());

        assertThat(fields).containsEntry("Action", "failed")
                .containsEntry("Original-Recipient", "rfc822; bob@example.com Action: delivered");
    }

    @Test
    void theSenderAddressCannotAddAHeaderField() {
        DsnReport report = new DsnReport("relay.example.net", "alice@example.org\r\nBcc: everyone@example.net",
                Optional.empty(), Reports.ARRIVAL, "q1", List.of(Reports.failed("bob@example.com")), Optional.empty(),
                false, Reports.NOW, DsnReport.mailerDaemonAt("relay.example.net"));

        ParsedDsn dsn = compose(report).parsed();

        assertThat(dsn.headerFields()).extracting(Field::getName).doesNotContain("Bcc");
    }
}
