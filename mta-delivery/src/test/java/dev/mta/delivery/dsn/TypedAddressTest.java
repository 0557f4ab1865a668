package dev.mta.delivery.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 3464 2.1.2 typed addresses and the RFC 6533 3 utf-8 address type. */
class TypedAddressTest {

    @Test
    void asciiAddressesAreRfc822() {
        assertThat(TypedAddress.of("bob@example.com", false)).isEqualTo("rfc822; bob@example.com");
        assertThat(TypedAddress.of("bob@example.com", true)).isEqualTo("rfc822; bob@example.com");
    }

    @Test
    void utf8AddrXtextEscapesAllButQchar() {
        // QCHAR: printable ASCII except '+', '=' and '\'; the rest as \x{HEX}, at least two digits.
        assertThat(TypedAddress.xtext("a+b=c\\d e@x")).isEqualTo("a\\x{2B}b\\x{3D}c\\x{5C}d\\x{20}e@x");
        assertThat(TypedAddress.xtext("\u00f6\u4e2d\ud83d\ude00")).isEqualTo("\\x{F6}\\x{4E2D}\\x{1F600}");
    }

    @Test
    void embeddedCharactersDecodeAndMalformedOnesStay() {
        assertThat(TypedAddress.decodeEmbedded("j\\x{F6}rg\\x{1f600}@x")).isEqualTo("j\u00f6rg\ud83d\ude00@x");
        assertThat(TypedAddress.decodeEmbedded("a\\x{}b\\x{D800}c\\x{110000}")).isEqualTo("a\\x{}b\\x{D800}c\\x{110000}");
    }

    @Test
    void aNonAsciiRfc822OriginalRecipientBecomesUtf8() {
        assertThat(TypedAddress.original("rfc822;j\u00f6rg@x", false)).isEqualTo("utf-8; j\\x{F6}rg@x");
        assertThat(TypedAddress.original("RFC822;bob@x", false)).isEqualTo("rfc822; bob@x");
    }
}
