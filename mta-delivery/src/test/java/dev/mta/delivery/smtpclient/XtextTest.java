package dev.mta.delivery.smtpclient;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 3461 4: xtext. */
class XtextTest {

    @Test
    void keepsPrintableAsciiExceptPlusAndEquals() {
        assertThat(Xtext.encode("abc-XYZ_09.!~@;")).isEqualTo("abc-XYZ_09.!~@;");
    }

    @Test
    void hexEncodesPlusEqualsSpaceAndControls() {
        assertThat(Xtext.encode("a+b=c d\t")).isEqualTo("a+2Bb+3Dc+20d+09");
    }

    @Test
    void hexEncodesEachOctetOfNonAscii() {
        assertThat(Xtext.encode("\u00e9")).isEqualTo("+C3+A9");
    }
}
