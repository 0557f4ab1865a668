package dev.mta.security.dane;

import static dev.mta.security.dane.Records.CERT;
import static dev.mta.security.dane.Records.DANE_EE;
import static dev.mta.security.dane.Records.PKIX_EE;
import static dev.mta.security.dane.Records.SHA2_256;
import static dev.mta.security.dane.Records.SPKI;
import static dev.mta.security.dane.Records.daneEe;
import static dev.mta.security.dane.Records.daneTa;
import static dev.mta.security.dane.Records.unrelated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.security.dane.DaneVerdict.Authenticated;
import dev.mta.security.dane.DaneVerdict.Failed;
import dev.mta.security.dane.DaneVerdict.Failure;
import dev.mta.testsupport.tls.CaChain;
import dev.mta.testsupport.tls.TestCertificates;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the verifier answers when there is nothing to check, and which failure it reports. */
class DaneVerdictTest {

    private static final ReferenceIdentifiers MX = ReferenceIdentifiers.of("mx.example.com");

    private final CaChain ca = TestCertificates.ec().caChain("mx.example.com");
    private final Instant now = Instant.now();

    @Test
    void withoutUsableRecordsNothingIsAuthenticated() {
        // RFC 7672 2.2: the caller falls back to unauthenticated TLS; the verifier never says yes,
        // not even to a PKIX-EE(1) record that matches the leaf.
        TlsaAssociation pkixEe = Records.record(PKIX_EE, SPKI, SHA2_256, ca.leaf().certificate());

        DaneVerdict verdict = DaneVerifier.verify(List.of(pkixEe), ca.leaf().chain(), MX, now);

        assertThat(verdict).isInstanceOf(Failed.class);
        assertThat(((Failed) verdict).failure()).isEqualTo(Failure.NO_USABLE_RECORDS);
        assertThat(((Failed) verdict).reason()).startsWith("no usable TLSA record: PKIX-EE(1) SPKI(1) SHA2-256(1) ")
                .contains("RFC 7672 3.1.3");
    }

    @Test
    void anEmptyRecordSetAuthenticatesNothing() {
        assertThat(DaneVerifier.verify(List.of(), ca.leaf().chain(), MX, now))
                .isEqualTo(new Failed(Failure.NO_USABLE_RECORDS, "no usable TLSA record: none given"));
    }

    @Test
    void aServerWithoutCertificatesFails() {
        assertThat(DaneVerifier.verify(List.of(daneEe(SPKI, SHA2_256, ca.leaf().certificate())), List.of(), MX, now))
                .isEqualTo(new Failed(Failure.NO_CERTIFICATE, "the server presented no certificate"));
    }

    @Test
    void theFailureThatGotFurthestIsReported() {
        // An unrelated DANE-EE record, a DANE-TA record that matches nothing, and one that matches the
        // root of a chain whose leaf has the wrong name: the name is what the operator must fix.
        var wrongName = TestCertificates.ec().leafWithWrongNames(ca.intermediate());
        List<TlsaAssociation> records = List.of(unrelated(DANE_EE, SPKI, SHA2_256), unrelated(2, CERT, SHA2_256),
                daneTa(CERT, SHA2_256, ca.root().certificate()));

        DaneVerdict verdict = DaneVerifier.verify(records, wrongName.chain(), MX, now);

        assertThat(((Failed) verdict).failure()).isEqualTo(Failure.NAME_MISMATCH);
    }

    @Test
    void noMatchNamesBothUsagesWhenBothWerePublished() {
        List<TlsaAssociation> records = List.of(unrelated(DANE_EE, SPKI, SHA2_256), unrelated(2, CERT, SHA2_256));

        DaneVerdict verdict = DaneVerifier.verify(records, ca.leaf().chain(), MX, now);

        assertThat(((Failed) verdict).reason()).startsWith("no TLSA record matched: no DANE-EE(3) record matched the leaf")
                .endsWith("; no DANE-TA(2) record matched a certificate above the leaf (2 presented)");
    }

    @Test
    void aDaneEeMatchWinsOverAFailingDaneTaRecord() {
        TlsaAssociation ee = daneEe(SPKI, SHA2_256, ca.leaf().certificate());
        List<TlsaAssociation> records = List.of(unrelated(2, CERT, SHA2_256), ee);

        DaneVerdict verdict = DaneVerifier.verify(records, ca.leaf().chain(), MX, now);

        assertThat(((Authenticated) verdict).record()).isEqualTo(ee);
        assertThat(((Authenticated) verdict).usage()).isEqualTo(CertificateUsage.DANE_EE);
    }

    @Test
    void aFailureNeedsAReason() {
        assertThatThrownBy(() -> new Failed(Failure.NO_MATCH, " ")).isInstanceOf(IllegalArgumentException.class);
    }
}
