package dev.mta.delivery.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** RFC 5322 2.1.1 line lengths and 2.2.3 folding of what the composer writes. */
class FoldingTest {

    @Test
    void aShortFieldStaysOnOneLine() {
        assertThat(Folding.field("Action", "failed")).isEqualTo("Action: failed\r\n");
    }

    @Test
    void foldsAtSpacesBefore78Characters() {
        String value = "word ".repeat(30).trim();
        String folded = Folding.field("Subject", value);

        List<String> lines = List.of(folded.split("\r\n"));
        assertThat(lines).hasSizeGreaterThan(1)
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
        assertThat(lines.subList(1, lines.size())).allSatisfy(line -> assertThat(line).startsWith(" "));
        // Unfolding (RFC 5322 2.2.3: remove each CRLF before white space) gives the value back.
        assertThat(folded.replace("\r\n ", " ")).isEqualTo("Subject: " + value + "\r\n");
    }

    @Test
    void eachFurtherLineOfAValueStartsAContinuationLine() {
        assertThat(Folding.field("Diagnostic-Code", List.of("smtp; 550-first", "550 second")))
                .isEqualTo("Diagnostic-Code: smtp; 550-first\r\n 550 second\r\n");
    }

    @Test
    void anOverlongWordIsCutWithinTheHardLimit() {
        String word = "\u00e9".repeat(1000); // 2000 octets in UTF-8
        String folded = Folding.field("X", word);

        for (String line : folded.split("\r\n")) {
            assertThat(line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(998);
        }
        assertThat(folded.replace("\r\n ", "").replace("\r\n", "")).isEqualTo("X: " + word);
    }

    @Test
    void wrapsTextWithAnIndent() {
        assertThat(Folding.wrap("aaa bbb ccc", "  ", 9)).containsExactly("  aaa bbb", "  ccc");
    }
}
