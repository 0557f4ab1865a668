package dev.mta.delivery.dsn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.stream.Field;
import org.junit.jupiter.api.Test;

/** RFC 6522 multipart/report and RFC 3464 3: the DSN message as a whole, its header and its parts. */
class MultipartReportTest {

    private final Reports.Written failure =
            Reports.compose(Reports.report(List.of(Reports.failed("bob@example.com"))), Reports.original(Reports.ORIGINAL));

    @Test
    void isMultipartReportOfTypeDeliveryStatus() {
        ParsedDsn dsn = failure.parsed();

        assertThat(dsn.mimeType()).isEqualTo("multipart/report");
        assertThat(dsn.reportType()).isEqualTo("delivery-status");
        assertThat(dsn.header("MIME-Version")).isEqualTo("1.0");
    }

    @Test
    void hasTheThreePartsInOrder() {
        List<Entity> parts = failure.parsed().parts();

        assertThat(parts).extracting(Entity::getMimeType)
                .containsExactly("text/plain", "message/delivery-status", "message/rfc822");
        assertThat(parts.get(0).getCharset()).isEqualToIgnoringCase("us-ascii");
    }

    @Test
    void isAddressedFromTheMailerDaemonToTheOriginalSender() {
        ParsedDsn dsn = failure.parsed();

        assertThat(dsn.header("From")).isEqualTo("Mail Delivery System <MAILER-DAEMON@relay.example.net>");
        assertThat(dsn.header("To")).isEqualTo("alice@example.org");
    }

    @Test
    void carriesDateMessageIdAndAutoSubmitted() {
        ParsedDsn dsn = failure.parsed();

        ZonedDateTime date = ZonedDateTime.parse(dsn.header("Date"), DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(date.toInstant()).isEqualTo(Reports.NOW);
        assertThat(dsn.header("Date")).endsWith("+0000");
        assertThat(dsn.header("Message-ID")).isEqualTo("<token2@relay.example.net>");
        assertThat(failure.composed().messageId()).isEqualTo("token2@relay.example.net");
        // RFC 3834 5: an automatic response, which auto-responders must not answer.
        assertThat(dsn.header("Auto-Submitted")).isEqualTo("auto-replied");
    }

    @Test
    void subjectSaysWhatKindOfReportItIs() {
        assertThat(subjectOf(Reports.failed("bob@example.com"))).isEqualTo("Undelivered Mail Returned to Sender");
        assertThat(subjectOf(Reports.delayed("bob@example.com"))).isEqualTo("Delayed Mail (still being retried)");
        assertThat(subjectOf(Reports.delivered("bob@example.com"))).isEqualTo("Successful Mail Delivery Report");
    }

    @Test
    void aReportWithAFailureAndADelayHasTheFailureSubject() {
        assertThat(subjectOf(Reports.delayed("carol@example.net"), Reports.failed("bob@example.com")))
                .isEqualTo("Undelivered Mail Returned to Sender");
    }

    @Test
    void everyLineEndsWithCrlfAndNoneIsLongerThan998Octets() {
        assertWellFormedLines(failure.bytes());
    }

    @Test
    void generatedHeaderFieldsStayWithin78Characters() {
        for (Field field : failure.parsed().headerFields()) {
            for (String line : new String(field.getRaw().toByteArray(), StandardCharsets.US_ASCII).split("\r\n")) {
                assertThat(line.length()).as(line).isLessThanOrEqualTo(78);
            }
        }
    }

    @Test
    void aSevenBitOriginalMakesASevenBitDsn() {
        for (byte b : failure.bytes()) {
            assertThat(b).isNotNegative();
        }
        assertThat(failure.composed().eightBitMime()).isFalse();
        assertThat(failure.composed().smtpUtf8()).isFalse();
    }

    @Test
    void noticeListsEachRecipientWithItsReason() {
        Reports.Written written = Reports.compose(
                Reports.report(List.of(Reports.failed("bob@example.com"), Reports.delayed("carol@example.net"))),
                Reports.original(Reports.ORIGINAL));

        String notice = written.parsed().notice();

        assertThat(notice).contains("<bob@example.com>: host mx.example.com said:")
                .contains("    550-5.1.1 The account does not exist.")
                .contains("    550 5.1.1 Check the address.")
                .contains("<carol@example.net>: connect to mx.example.net[198.51.100.25]:25:")
                .contains("will keep trying until Sun, 8 Jun 2025 10:15:30 +0000")
                .contains("4bXyZ1");
        assertThat(notice.indexOf("bob@")).isLessThan(notice.indexOf("carol@"));
    }

    @Test
    void noticeNamesTheOriginalRecipientWhenItDiffers() {
        DsnRecipient viaAlias = new DsnRecipient("bob.smith@example.com", Optional.of("rfc822;bob@example.org"),
                DsnAction.FAILED, "5.1.1", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        String notice = Reports.compose(Reports.report(List.of(viaAlias)), Reports.original(Reports.ORIGINAL))
                .parsed().notice();

        assertThat(notice).contains("<bob.smith@example.com> (originally <bob@example.org>): status 5.1.1");
    }

    @Test
    void deliveredAndRelayedRecipientsAreExplained() {
        DsnRecipient relayed = new DsnRecipient("dave@example.org", Optional.empty(), DsnAction.RELAYED, "2.0.0",
                Optional.of("legacy.example.org"), Optional.of(DsnDiagnostic.smtpReply("250 Ok")),
                Optional.empty(), Optional.empty());

        Reports.Written written = Reports.compose(
                Reports.report(List.of(Reports.delivered("bob@example.com"), relayed)), Reports.original(Reports.ORIGINAL));

        assertThat(written.parsed().notice()).contains("was delivered to the recipients below")
                .contains("does not report delivery");
        assertThat(written.parsed().deliveryStatus().recipients()).extracting(g -> g.get("Action"))
                .containsExactly("delivered", "relayed");
    }

    @Test
    void neverReportsToTheNullSender() {
        assertThatThrownBy(() -> new DsnReport("relay.example.net", "", Optional.empty(), Reports.ARRIVAL, "q",
                List.of(Reports.failed("bob@example.com")), Optional.empty(), false, Reports.NOW, "MAILER-DAEMON@x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null sender");
    }

    @Test
    void writesNothingWhenTheOriginalCannotBeRead() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OriginalMessage gone = () -> {
            throw new IOException("spool file missing");
        };

        assertThatThrownBy(() -> Reports.composer().write(
                Reports.report(List.of(Reports.failed("bob@example.com"))), gone, out))
                .isInstanceOf(IOException.class);
        assertThat(out.size()).isZero();
    }

    @Test
    void refusesATokenThatCannotBeABoundaryOrMessageId() {
        DsnComposer composer = new DsnComposer(() -> "bad token>");

        assertThatThrownBy(() -> composer.write(Reports.report(List.of(Reports.failed("bob@example.com"))),
                Reports.original(Reports.ORIGINAL), new ByteArrayOutputStream()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void randomTokensDiffer() {
        var tokens = DsnComposer.randomTokens();

        assertThat(tokens.get()).matches("[0-9a-f]{32}").isNotEqualTo(tokens.get());
    }

    private static String subjectOf(DsnRecipient... recipients) {
        return Reports.compose(Reports.report(List.of(recipients)), Reports.original(Reports.ORIGINAL))
                .parsed().header("Subject");
    }

    /** CRLF only, no bare CR or LF, every line at most 998 octets before its CRLF (RFC 5322 2.1.1). */
    static void assertWellFormedLines(byte[] bytes) {
        int lineLength = 0;
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == '\r') {
                assertThat(i + 1 < bytes.length && bytes[i + 1] == '\n').as("CR at %d is followed by LF", i).isTrue();
                assertThat(lineLength).as("line ending at %d", i).isLessThanOrEqualTo(998);
                lineLength = 0;
                i++;
            } else {
                assertThat(b).as("bare LF at %d", i).isNotEqualTo((byte) '\n');
                lineLength++;
            }
        }
        assertThat(lineLength).as("the message ends with CRLF").isZero();
    }
}
