package dev.mta.delivery.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.TextBody;
import org.junit.jupiter.api.Test;

/** RFC 3461 4.3 (RET), RFC 6522 and RFC 6152: the third part, and what it asks of the DSN's transport. */
class ReturnedContentTest {

    private static final DsnRecipient FAILED = Reports.failed("bob@example.com");

    private static Reports.Written compose(List<DsnRecipient> recipients, Optional<ReturnContent> ret, String original) {
        return Reports.compose(Reports.report(recipients, ret), Reports.original(original));
    }

    @Test
    void aFailureWithoutRetReturnsTheWholeMessage() throws IOException {
        // RFC 3461 4.3 leaves the default to the MTA; like Postfix, the whole message comes back.
        Reports.Written written = compose(List.of(FAILED), Optional.empty(), Reports.ORIGINAL);

        ParsedDsn dsn = written.parsed();
        assertThat(dsn.part(2).getMimeType()).isEqualTo("message/rfc822");
        Message returned = dsn.returnedMessage();
        assertThat(returned.getSubject()).isEqualTo("Quarterly figures");
        assertThat(returned.getMessageId()).isEqualTo("<q2-figures@example.org>");
        try (var in = ((TextBody) returned.getBody()).getInputStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).endsWith("below. BODY-MARKER\r\n");
        }
        assertThat(written.composed().returned()).isEqualTo(ReturnContent.FULL);
    }

    @Test
    void theWholeMessageIsReturnedByteForByte() {
        Reports.Written written = compose(List.of(FAILED), Optional.of(ReturnContent.FULL), Reports.ORIGINAL);

        String text = written.text();
        int start = text.indexOf("Content-Type: message/rfc822\r\n\r\n") + "Content-Type: message/rfc822\r\n\r\n".length();
        int end = text.indexOf("\r\n--=_token1--\r\n");
        assertThat(text.substring(start, end)).isEqualTo(Reports.ORIGINAL);
    }

    @Test
    void retHdrsReturnsTheHeaderSectionWithoutTheBody() {
        Reports.Written written = compose(List.of(FAILED), Optional.of(ReturnContent.HEADERS), Reports.ORIGINAL);

        ParsedDsn dsn = written.parsed();
        assertThat(dsn.part(2).getMimeType()).isEqualTo("text/rfc822-headers");
        String headers = dsn.partText(2);
        assertThat(headers).startsWith("Received: from client.example.org")
                .contains("\r\n\tby relay.example.net with ESMTPS id 4bXyZ1;")
                .contains("Subject: Quarterly figures\r\nMessage-ID: <q2-figures@example.org>\r\n")
                .endsWith("Date: Tue, 3 Jun 2025 10:15:29 +0000\r\n")
                .doesNotContain("Hello Bob")
                .doesNotContain("BODY-MARKER");
        assertThat(written.composed().returned()).isEqualTo(ReturnContent.HEADERS);
        assertThat(dsn.notice()).contains("The header section of your message is attached.");
    }

    @Test
    void delayAndSuccessReportsReturnHeadersOnlyEvenWithRetFull() {
        // RFC 3461 4.3: RET=FULL asks for the message in "failed" DSNs.
        for (DsnRecipient recipient : List.of(Reports.delayed("bob@example.com"), Reports.delivered("bob@example.com"))) {
            Reports.Written written = compose(List.of(recipient), Optional.of(ReturnContent.FULL), Reports.ORIGINAL);

            assertThat(written.parsed().part(2).getMimeType()).isEqualTo("text/rfc822-headers");
            assertThat(written.text()).doesNotContain("BODY-MARKER");
        }
    }

    @Test
    void aFailureAmongDelaysReturnsTheWholeMessage() {
        Reports.Written written = compose(List.of(Reports.delayed("carol@example.net"), FAILED), Optional.empty(),
                Reports.ORIGINAL);

        assertThat(written.parsed().part(2).getMimeType()).isEqualTo("message/rfc822");
    }

    @Test
    void anEightBitBodyIsLabelledAndAsksFor8BitMime() {
        String original = "From: alice@example.org\r\nSubject: Prices\r\n\r\nPrice: 10 \u20ac\r\n";

        Reports.Written written = compose(List.of(FAILED), Optional.empty(), original);

        ParsedDsn dsn = written.parsed();
        assertThat(dsn.part(2).getContentTransferEncoding()).isEqualTo("8bit");
        assertThat(written.composed().eightBitMime()).isTrue();
        assertThat(written.composed().smtpUtf8()).isFalse();
        // Carried as it is, not re-encoded: message/rfc822 takes no other encoding (RFC 2046 5.2.1).
        assertThat(written.bytes()).containsSequence("Price: 10 \u20ac\r\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSevenBitOriginalLeavesTheReturnedPartUnlabelled() {
        Reports.Written written = compose(List.of(FAILED), Optional.empty(), Reports.ORIGINAL);

        assertThat(written.text()).doesNotContain("Content-Transfer-Encoding");
        assertThat(written.parsed().part(2).getContentTransferEncoding()).isEqualTo("7bit");
    }

    @Test
    void headersOnlyOfAnEightBitMessageWithAsciiHeadersMakeASevenBitDsn() {
        String original = "From: alice@example.org\r\nSubject: Prices\r\n\r\nPrice: 10 \u20ac\r\n";

        Reports.Written written = compose(List.of(FAILED), Optional.of(ReturnContent.HEADERS), original);

        assertThat(written.composed().eightBitMime()).isFalse();
        for (byte b : written.bytes()) {
            assertThat(b).isNotNegative();
        }
    }

    @Test
    void eightBitHeadersReturnedAloneAreLabelledToo() {
        String original = "From: alice@example.org\r\nSubject: Pr\u00e9cis\r\n\r\nbody\r\n";

        Reports.Written written = compose(List.of(FAILED), Optional.of(ReturnContent.HEADERS), original);

        assertThat(written.parsed().part(2).getContentTransferEncoding()).isEqualTo("8bit");
        assertThat(written.composed().eightBitMime()).isTrue();
    }

    @Test
    void bareLineFeedsAndCarriageReturnsBecomeCrlf() {
        String original = "From: alice@example.org\nSubject: old\r\n\nline one\rline two\n";

        Reports.Written written = compose(List.of(FAILED), Optional.empty(), original);

        MultipartReportTest.assertWellFormedLines(written.bytes());
        assertThat(written.text()).contains("From: alice@example.org\r\nSubject: old\r\n\r\nline one\r\nline two\r\n");
    }

    @Test
    void anOriginalWithoutFinalLineBreakStillEndsItsLine() {
        Reports.Written written = compose(List.of(FAILED), Optional.empty(), "Subject: x\r\n\r\nno newline at end");

        MultipartReportTest.assertWellFormedLines(written.bytes());
        assertThat(written.text()).contains("no newline at end\r\n\r\n--=_token1--\r\n");
    }

    @Test
    void overlongLinesAreBrokenHeaderLinesAsFoldedContinuations() {
        String longHeader = "X-Long: " + "h".repeat(2500);
        String longBody = "b".repeat(2500);
        String original = "Subject: long\r\n" + longHeader + "\r\n\r\n" + longBody + "\r\n";

        Reports.Written written = compose(List.of(FAILED), Optional.empty(), original);

        MultipartReportTest.assertWellFormedLines(written.bytes());
        Message returned = written.parsed().returnedMessage();
        // The cut header line goes on as a continuation of the same field: unfolded, one space per cut.
        String value = returned.getHeader().getField("X-Long").getBody();
        assertThat(value.replace(" ", "")).isEqualTo("h".repeat(2500));
        String text = written.text();
        String body = text.substring(text.indexOf("b".repeat(10)), text.lastIndexOf("b") + 1);
        assertThat(body.replace("\r\n", "")).isEqualTo(longBody);
    }

    @Test
    void aHeaderSectionWithoutEmptyLineEndsAtTheFirstLineThatIsNoField() {
        String original = "From: alice@example.org\r\nSubject: no separator\r\nthis is body text\r\nmore: body\r\n";

        Reports.Written written = compose(List.of(FAILED), Optional.of(ReturnContent.HEADERS), original);

        assertThat(written.parsed().partText(2))
                .isEqualTo("From: alice@example.org\r\nSubject: no separator\r\n");
    }

    @Test
    void aMessageOverTheSizeLimitComesBackAsHeadersAndTheNoticeSaysSo() {
        DsnComposer composer = new DsnComposer(Reports.counting(), 100);

        Reports.Written written = Reports.compose(composer, Reports.report(List.of(FAILED)),
                Reports.original(Reports.ORIGINAL));

        ParsedDsn dsn = written.parsed();
        assertThat(dsn.part(2).getMimeType()).isEqualTo("text/rfc822-headers");
        assertThat(dsn.notice()).contains("too large to return in full");
        assertThat(written.composed().returned()).isEqualTo(ReturnContent.HEADERS);
        assertThat(written.text()).doesNotContain("BODY-MARKER");
    }

    @Test
    void aMessageWithinTheSizeLimitComesBackWhole() {
        DsnComposer composer = new DsnComposer(Reports.counting(), Reports.ORIGINAL.length());

        Reports.Written written = Reports.compose(composer, Reports.report(List.of(FAILED)),
                Reports.original(Reports.ORIGINAL));

        assertThat(written.composed().returned()).isEqualTo(ReturnContent.FULL);
    }

    @Test
    void theOriginalIsClosedAfterEachReading() throws IOException {
        List<Boolean> closed = new java.util.ArrayList<>();
        OriginalMessage tracked = () -> new java.io.ByteArrayInputStream(Reports.ORIGINAL.getBytes(StandardCharsets.US_ASCII)) {
            private final int index = closed.size();

            {
                closed.add(false);
            }

            @Override
            public void close() {
                closed.set(index, true);
            }
        };

        Reports.composer().write(Reports.report(List.of(FAILED)), tracked, new ByteArrayOutputStream());

        assertThat(closed).containsExactly(true, true);
    }
}
