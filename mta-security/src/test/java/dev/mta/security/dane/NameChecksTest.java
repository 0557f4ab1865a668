package dev.mta.security.dane;

import static dev.mta.security.dane.Records.CERT;
import static dev.mta.security.dane.Records.SHA2_256;
import static dev.mta.security.dane.Records.daneTa;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.security.dane.DaneVerdict.Authenticated;
import dev.mta.security.dane.DaneVerdict.Failed;
import dev.mta.security.dane.DaneVerdict.Failure;
import dev.mta.security.dane.DaneVerdict.NameMatch;
import dev.mta.testsupport.tls.CaChain;
import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.TestCertificates;
import dev.mta.testsupport.tls.Validity;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.Test;

/**
 * DANE-TA(2) name checks: RFC 7672 3.2.3 (after RFC 6125 6.4): DNS-IDs first, the CN only
 * without them, case-insensitive ASCII, a wildcard only as the whole left-most label, matching
 * one label.
 */
class NameChecksTest {

    private final TestCertificates certificates = TestCertificates.ec();
    private final CaChain ca = certificates.caChain("unused.example.com");
    private final Instant now = Instant.now();

    private DaneVerdict verify(CertifiedKey leaf, String... referenceIdentifiers) {
        return DaneVerifier.verify(List.of(daneTa(CERT, SHA2_256, ca.root().certificate())), leaf.chain(),
                ReferenceIdentifiers.of(referenceIdentifiers), now);
    }

    @Test
    void daneTaWildcardMatchesOneLabelOnly() {
        CertifiedKey leaf = certificates.leaf(ca.intermediate(), "*.example.com");

        assertThat(verify(leaf, "mx.example.com")).isInstanceOf(Authenticated.class);
        assertThat(((Authenticated) verify(leaf, "mx.example.com")).nameMatch())
                .contains(new NameMatch("mx.example.com", "*.example.com"));
        assertThat(verify(leaf, "a.mx.example.com")).isInstanceOf(Failed.class);
    }

    @Test
    void aWildcardDoesNotMatchTheDomainItself() {
        CertifiedKey leaf = certificates.leaf(ca.intermediate(), "*.example.com");

        assertThat(((Failed) verify(leaf, "example.com")).failure()).isEqualTo(Failure.NAME_MISMATCH);
    }

    @Test
    void partialLabelWildcardsMatchNothing() {
        // RFC 6125 6.4.3 leaves "mx*.example.com" to the client; this one refuses it.
        CertifiedKey leaf = certificates.leaf(ca.intermediate(), "mx*.example.com", "*mx.example.com", "m*x.example.com");

        assertThat(((Failed) verify(leaf, "mx1.example.com", "amx.example.com", "max.example.com")).failure())
                .isEqualTo(Failure.NAME_MISMATCH);
    }

    @Test
    void aWildcardOnlyCountsAsTheLeftMostLabel() {
        CertifiedKey leaf = certificates.leaf(ca.intermediate(), "mx.*.example.com", "mx.example.*");

        assertThat(((Failed) verify(leaf, "mx.a.example.com", "mx.example.com")).failure())
                .isEqualTo(Failure.NAME_MISMATCH);
    }

    @Test
    void aWildcardRightAboveATopLevelDomainMatchesNothing() {
        CertifiedKey leaf = certificates.leaf(ca.intermediate(), "*.com");

        assertThat(((Failed) verify(leaf, "example.com")).failure()).isEqualTo(Failure.NAME_MISMATCH);
    }

    @Test
    void namesCompareWithoutRegardToCaseOrATrailingDot() {
        CertifiedKey leaf = certificates.leaf(ca.intermediate(), "MX.Example.COM.");

        DaneVerdict verdict = verify(leaf, "mx.EXAMPLE.com.");

        assertThat(((Authenticated) verdict).nameMatch()).contains(new NameMatch("mx.example.com", "MX.Example.COM."));
    }

    @Test
    void theCommonNameIsIgnoredWhenTheCertificateHasDnsNames() {
        // RFC 7672 3.2.3: with at least one DNS-ID, only DNS-IDs are matched.
        CertifiedKey leaf = certificates.leaf(ca.intermediate(), "mx.example.com", List.of("other.example.net"),
                Validity.current());

        DaneVerdict verdict = verify(leaf, "mx.example.com");

        assertThat(verdict).isEqualTo(new Failed(Failure.NAME_MISMATCH,
                "leaf names [other.example.net] do not match reference identifiers [mx.example.com]"));
    }

    @Test
    void theCommonNameIsUsedWhenTheCertificateHasNoDnsNames() {
        CertifiedKey leaf = MoreCertificates.leafWithoutSubjectAltName(ca.intermediate(), "mx.example.com");

        assertThat(((Authenticated) verify(leaf, "mx.example.com")).nameMatch())
                .contains(new NameMatch("mx.example.com", "mx.example.com"));
        assertThat(((Failed) verify(leaf, "example.com")).reason())
                .isEqualTo("leaf names CN [mx.example.com] do not match reference identifiers [example.com]");
    }

    @Test
    void otherSubjectAltNamesAreNoDnsIds() {
        // An IP address entry does not make a DNS-ID, so the CN still counts.
        CertifiedKey leaf = MoreCertificates.leafWithAltNames(ca.intermediate(), "mx.example.com",
                new GeneralName(GeneralName.iPAddress, "192.0.2.25"));

        assertThat(verify(leaf, "mx.example.com")).isInstanceOf(Authenticated.class);
    }

    @Test
    void theFirstReferenceIdentifierThatMatchesIsReported() {
        CertifiedKey leaf = certificates.leaf(ca.intermediate(), "example.com", "mx.example.com");

        DaneVerdict verdict = verify(leaf, "mx.example.com", "example.com");

        assertThat(((Authenticated) verdict).nameMatch()).contains(new NameMatch("mx.example.com", "mx.example.com"));
    }

    @Test
    void presentedNamesThatAreNotAsciiMatchNothing() {
        assertThat(PresentedNames.matches("bücher.example", "xn--bcher-kva.example")).isFalse();
        assertThat(PresentedNames.matches("xn--bcher-kva.example", "xn--bcher-kva.example")).isTrue();
    }

    @Test
    void aWildcardMatchesAnALabel() {
        assertThat(PresentedNames.matches("*.example.com", "xn--bcher-kva.example.com")).isTrue();
        assertThat(PresentedNames.matches("*.", "com")).isFalse();
        assertThat(PresentedNames.matches("*", "com")).isFalse();
    }
}
