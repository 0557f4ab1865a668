package dev.mta.security.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 8460 3: the {@code _smtp._tls} TXT record. */
class TlsRptRecordTest {

    @Test
    void recordIsLookedUpUnderSmtpTls() {
        assertThat(TlsRptRecord.queryName("example.net")).isEqualTo("_smtp._tls.example.net");
        assertThat(TlsRptRecord.queryName("example.net.")).isEqualTo("_smtp._tls.example.net");
    }

    @Test
    void mailtoRuaGivesItsMailbox() {
        TlsRptRecord record = TlsRptRecord.parse(List.of("v=TLSRPTv1;rua=mailto:reports@example.net")).orElseThrow();

        assertThat(record.mailtoAddresses()).containsExactly("reports@example.net");
        assertThat(record.httpsUris()).isEmpty();
    }

    @Test
    void commaSeparatedMailtoAndHttpsWithSpacesAroundDelimiters() {
        TlsRptRecord record = TlsRptRecord.parse(List.of(
                "v=TLSRPTv1 ; rua=mailto:a@example.net , https://collector.example.net/v1/tlsrpt ;")).orElseThrow();

        assertThat(record.mailtoAddresses()).containsExactly("a@example.net");
        assertThat(record.httpsUris()).containsExactly(URI.create("https://collector.example.net/v1/tlsrpt"));
    }

    @Test
    void mailtoIsPercentDecodedAndLosesItsHeaders() {
        TlsRptRecord record = TlsRptRecord.parse(List.of(
                "v=TLSRPTv1;rua=mailto:tls%2Breports@example.net?subject=tlsrpt")).orElseThrow();

        assertThat(record.mailtoAddresses()).containsExactly("tls+reports@example.net");
    }

    @Test
    void recordsWithoutTheVersionAreIgnored() {
        assertThat(TlsRptRecord.parse(List.of("v=spf1 -all", "v=TLSRPTv1;rua=mailto:r@example.net")))
                .isPresent();
    }

    @Test
    void twoVersionedRecordsMeanNoReporting() {
        assertThat(TlsRptRecord.parse(List.of(
                "v=TLSRPTv1;rua=mailto:r@example.net", "v=TLSRPTv1;rua=https://c.example.net/"))).isEmpty();
    }

    @Test
    void aBrokenSecondVersionedRecordStillMeansNoReporting() {
        assertThat(TlsRptRecord.parse(List.of("v=TLSRPTv1;rua=mailto:r@example.net", "v=TLSRPTv1;"))).isEmpty();
    }

    @Test
    void noRecordMeansNoReporting() {
        assertThat(TlsRptRecord.parse(List.of())).isEmpty();
    }

    @Test
    void versionIsCaseSensitiveAndMustComeFirst() {
        assertThat(TlsRptRecord.parse(List.of("v=tlsrptv1;rua=mailto:r@example.net"))).isEmpty();
        assertThat(TlsRptRecord.parse(List.of("rua=mailto:r@example.net;v=TLSRPTv1"))).isEmpty();
        assertThat(TlsRptRecord.parse(List.of("v=TLSRPTv10;rua=mailto:r@example.net"))).isEmpty();
    }

    @Test
    void ruaIsRequired() {
        assertThat(TlsRptRecord.parse(List.of("v=TLSRPTv1"))).isEmpty();
        assertThat(TlsRptRecord.parse(List.of("v=TLSRPTv1;"))).isEmpty();
        assertThat(TlsRptRecord.parse(List.of("v=TLSRPTv1;ext=1"))).isEmpty();
        assertThat(TlsRptRecord.parse(List.of("v=TLSRPTv1;rua="))).isEmpty();
    }

    @Test
    void unknownExtensionsAreIgnored() {
        assertThat(TlsRptRecord.parse(List.of("v=TLSRPTv1;future_ext=yes;rua=mailto:r@example.net"))).isPresent();
    }

    @Test
    void malformedFieldsMakeTheRecordInvalid() {
        assertThat(TlsRptRecord.parse(List.of("v=TLSRPTv1;rua=mailto:r@example.net;novalue"))).isEmpty();
        assertThat(TlsRptRecord.parse(List.of("v=TLSRPTv1;;rua=mailto:r@example.net"))).isEmpty();
        assertThat(TlsRptRecord.parse(List.of("v=TLSRPTv1;rua=mailto:r@example.net;-bad=1"))).isEmpty();
        assertThat(TlsRptRecord.parse(List.of("v=TLSRPTv1;rua=not a uri"))).isEmpty();
    }

    @Test
    void twoRuaFieldsAreAmbiguous() {
        assertThat(TlsRptRecord.parse(List.of(
                "v=TLSRPTv1;rua=mailto:a@example.net;rua=mailto:b@example.net"))).isEmpty();
    }

    @Test
    void unsupportedSchemesAreSkipped() {
        TlsRptRecord record = TlsRptRecord.parse(List.of(
                "v=TLSRPTv1;rua=http://plain.example.net/,mailto:r@example.net")).orElseThrow();

        assertThat(record.reportUris()).containsExactly(URI.create("mailto:r@example.net"));
        assertThat(TlsRptRecord.parse(List.of("v=TLSRPTv1;rua=http://plain.example.net/"))).isEmpty();
        assertThat(TlsRptRecord.parse(List.of("v=TLSRPTv1;rua=mailto:no-at-sign"))).isEmpty();
    }
}
