package dev.mta.delivery.dsn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** RFC 3464 2.2 and 2.3: the machine-readable fields, checked against the grammar and by value. */
class DeliveryStatusFieldsTest {

    private static DeliveryStatusGrammar.Report statusOf(DsnReport report) {
        return Reports.compose(report, Reports.original(Reports.ORIGINAL)).parsed().deliveryStatus();
    }

    @Test
    void perMessageFieldsNameThisRelayAndTheArrival() {
        var status = statusOf(Reports.report(List.of(Reports.failed("bob@example.com"))));

        assertThat(status.perMessage()).containsExactly(
                entry("Reporting-MTA", "dns; relay.example.net"),
                entry("Arrival-Date", "Tue, 3 Jun 2025 10:15:30 +0000"),
                entry("X-Mta-Queue-ID", "4bXyZ1"));
    }

    @Test
    void envelopeIdIsEchoedFirst() {
        var status = statusOf(Reports.withEnvelopeId(
                Reports.report(List.of(Reports.failed("bob@example.com"))), "QQ314159"));

        // RFC 3464 2.2.1, RFC 3461 4.4: Original-Envelope-Id opens the per-message fields.
        assertThat(status.perMessage().firstEntry()).isEqualTo(entry("Original-Envelope-Id", "QQ314159"));
    }

    @Test
    void failedRecipientFromARemoteServer() {
        var fields = DeliveryStatusGrammar.only(statusOf(Reports.report(List.of(Reports.failed("bob@example.com")))));

        assertThat(fields).containsExactly(
                entry("Final-Recipient", "rfc822; bob@example.com"),
                entry("Action", "failed"),
                entry("Status", "5.1.1"),
                entry("Remote-MTA", "dns; mx.example.com"),
                entry("Diagnostic-Code", "smtp; 550-5.1.1 The account does not exist. 550 5.1.1 Check the address."),
                entry("Last-Attempt-Date", "Wed, 4 Jun 2025 09:00:00 +0000"));
    }

    @Test
    void originalRecipientIsEchoedBeforeTheFinalOne() {
        DsnRecipient r = new DsnRecipient("bob@example.com", Optional.of("rfc822;Bob.Original@Example.COM"),
                DsnAction.FAILED, "5.1.1", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        var fields = DeliveryStatusGrammar.only(statusOf(Reports.report(List.of(r))));

        assertThat(fields.entrySet()).first().isEqualTo(entry("Original-Recipient", "rfc822; Bob.Original@Example.COM"));
        assertThat(fields).containsEntry("Final-Recipient", "rfc822; bob@example.com");
    }

    @Test
    void originalRecipientOfAnotherAddressTypeIsEchoedAsItIs() {
        DsnRecipient r = new DsnRecipient("bob@example.com", Optional.of("x400;/G=Bob/S=Smith/O=Example/"),
                DsnAction.FAILED, "5.1.1", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        var fields = DeliveryStatusGrammar.only(statusOf(Reports.report(List.of(r))));

        assertThat(fields).containsEntry("Original-Recipient", "x400; /G=Bob/S=Smith/O=Example/");
    }

    @Test
    void failedAndDelayedRecipientsGetAGroupEachInOrder() {
        var status = statusOf(Reports.report(List.of(Reports.failed("bob@example.com"), Reports.delayed("carol@example.net"))));

        assertThat(status.recipients()).hasSize(2);
        Map<String, String> failed = status.recipients().get(0);
        Map<String, String> delayed = status.recipients().get(1);
        assertThat(failed).containsEntry("Action", "failed").doesNotContainKey("Will-Retry-Until");
        assertThat(delayed).containsExactly(
                entry("Final-Recipient", "rfc822; carol@example.net"),
                entry("Action", "delayed"),
                entry("Status", "4.4.1"),
                entry("Diagnostic-Code", "X-Mta; connect to mx.example.net[198.51.100.25]:25: Connection timed out"),
                entry("Last-Attempt-Date", "Wed, 4 Jun 2025 09:00:00 +0000"),
                entry("Will-Retry-Until", "Sun, 8 Jun 2025 10:15:30 +0000"));
    }

    @Test
    void theRelaysOwnReasonIsNotTypedSmtp() {
        // RFC 3464 2.3.6: "smtp" is for codes an SMTP server issued.
        DsnRecipient noMx = new DsnRecipient("bob@nowhere.example", Optional.empty(), DsnAction.FAILED, "5.1.2",
                Optional.empty(), Optional.of(DsnDiagnostic.localReason("Host or domain name not found")),
                Optional.of(Reports.LAST_ATTEMPT), Optional.empty());

        var fields = DeliveryStatusGrammar.only(statusOf(Reports.report(List.of(noMx))));

        assertThat(fields).containsEntry("Diagnostic-Code", "X-Mta; Host or domain name not found")
                .doesNotContainKey("Remote-MTA");
    }

    @Test
    void aLocalReasonAboutARemoteHostKeepsTheRemoteMta() {
        DsnRecipient tls = new DsnRecipient("bob@example.com", Optional.empty(), DsnAction.DELAYED, "4.7.5",
                Optional.of("mx.example.com"),
                Optional.of(DsnDiagnostic.localReason("TLSA records do not match the server certificate")),
                Optional.of(Reports.LAST_ATTEMPT), Optional.empty());

        var fields = DeliveryStatusGrammar.only(statusOf(Reports.report(List.of(tls))));

        assertThat(fields).containsEntry("Remote-MTA", "dns; mx.example.com")
                .containsEntry("Diagnostic-Code", "X-Mta; TLSA records do not match the server certificate");
    }

    @Test
    void withoutDiagnosticOrAttemptThoseFieldsAreLeftOut() {
        DsnRecipient expired = new DsnRecipient("bob@example.com", Optional.empty(), DsnAction.FAILED, "4.4.7",
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        var fields = DeliveryStatusGrammar.only(statusOf(Reports.report(List.of(expired))));

        assertThat(fields.keySet()).containsExactly("Final-Recipient", "Action", "Status");
        assertThat(fields).containsEntry("Status", "4.4.7");
    }

    @Test
    void aMultiLineReplyPutsEachLineOnAContinuationLine() {
        String raw = Reports.compose(Reports.report(List.of(Reports.failed("bob@example.com"))),
                Reports.original(Reports.ORIGINAL)).parsed().partText(1);

        assertThat(raw).contains("Diagnostic-Code: smtp; 550-5.1.1 The account does not exist.\r\n"
                + " 550 5.1.1 Check the address.\r\n");
    }

    @Test
    void aLongReplyLineIsFoldedAtSpacesWithin78Characters() {
        String words = "word ".repeat(60).trim();
        DsnRecipient r = new DsnRecipient("bob@example.com", Optional.empty(), DsnAction.FAILED, "5.7.1",
                Optional.of("mx.example.com"), Optional.of(DsnDiagnostic.smtpReply("550 5.7.1 " + words)),
                Optional.empty(), Optional.empty());

        Reports.Written written = Reports.compose(Reports.report(List.of(r)), Reports.original(Reports.ORIGINAL));
        String raw = written.parsed().partText(1);

        for (String line : raw.split("\r\n")) {
            assertThat(line.length()).as(line).isLessThanOrEqualTo(78);
        }
        assertThat(DeliveryStatusGrammar.only(written.parsed().deliveryStatus()))
                .containsEntry("Diagnostic-Code", "smtp; 550 5.7.1 " + words);
    }

    @Test
    void aWordLongerThanAnyLineIsCutSoNoLineExceeds998Octets() {
        String token = "x".repeat(3000);
        DsnRecipient r = new DsnRecipient("bob@example.com", Optional.empty(), DsnAction.FAILED, "5.0.0",
                Optional.of("mx.example.com"), Optional.of(DsnDiagnostic.smtpReply("550 " + token)),
                Optional.empty(), Optional.empty());

        Reports.Written written = Reports.compose(Reports.report(List.of(r)), Reports.original(Reports.ORIGINAL));

        MultipartReportTest.assertWellFormedLines(written.bytes());
        String code = DeliveryStatusGrammar.only(written.parsed().deliveryStatus()).get("Diagnostic-Code");
        assertThat(code.replace(" ", "")).isEqualTo("smtp;550" + token);
    }

    @Test
    void everyReportMatchesTheRfc3464Grammar() {
        DsnRecipient full = new DsnRecipient("bob@example.com", Optional.of("rfc822;bob@example.org"),
                DsnAction.DELAYED, "4.2.2", Optional.of("mx.example.com"),
                Optional.of(DsnDiagnostic.smtpReply("452 4.2.2 Mailbox full")), Optional.of(Reports.LAST_ATTEMPT),
                Optional.of(Reports.RETRY_UNTIL));
        DsnReport report = Reports.withEnvelopeId(Reports.report(List.of(full, Reports.failed("carol@example.net"),
                Reports.delivered("dave@example.com"))), "ENV-1");

        // parse() throws on any breach of the grammar: order, required fields, value rules.
        var status = statusOf(report);

        assertThat(status.recipients()).hasSize(3);
        assertThat(status.recipients().get(0).keySet()).containsExactly("Original-Recipient", "Final-Recipient",
                "Action", "Status", "Remote-MTA", "Diagnostic-Code", "Last-Attempt-Date", "Will-Retry-Until");
    }
}
