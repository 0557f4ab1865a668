package dev.mta.testsupport.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TestCertificatesTest {
    private final TestCertificates certificates = TestCertificates.ec();

    @Test
    void caIsSelfSignedWithCaBasicConstraints() throws Exception {
        CertifiedKey ca = certificates.ca("Test CA");

        X509Certificate certificate = ca.certificate();
        assertThat(certificate.getSubjectX500Principal()).isEqualTo(certificate.getIssuerX500Principal());
        assertThat(certificate.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
        assertThat(certificate.getKeyUsage()[5]).as("keyCertSign").isTrue();
        certificate.verify(certificate.getPublicKey());
        assertThat(ca.commonName()).isEqualTo("Test CA");
        assertThat(ca.chain()).hasSize(1);
    }

    @Test
    void leafCarriesTheDnsNamesAsSubjectAltNamesAndTheFirstAsCommonName() throws Exception {
        CertifiedKey ca = certificates.ca("Test CA");
        CertifiedKey leaf = certificates.leaf(ca, "mx.example.com", "mail.example.com");

        assertThat(leaf.certificate().getSubjectAlternativeNames())
                .containsExactly(List.of(2, "mx.example.com"), List.of(2, "mail.example.com"));
        assertThat(leaf.commonName()).isEqualTo("mx.example.com");
        assertThat(leaf.certificate().getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.certificate().getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
    }

    @Test
    void leafWithExplicitCommonNameKeepsItApartFromTheNames() {
        CertifiedKey ca = certificates.ca("Test CA");
        CertifiedKey leaf = certificates.leaf(ca, "Relay Server", List.of("relay.example.net"), Validity.current());

        assertThat(leaf.commonName()).isEqualTo("Relay Server");
    }

    @Test
    void leafChainValidatesToItsCa() throws Exception {
        CertifiedKey ca = certificates.ca("Test CA");
        CertifiedKey leaf = certificates.leaf(ca, "mx.example.com");

        assertThat(leaf.chain()).containsExactly(leaf.certificate(), ca.certificate());
        validate(leaf.withoutRoot().chain(), ca.certificate());
    }

    @Test
    void caChainRunsFromLeafThroughIntermediateToRoot() throws Exception {
        CaChain chain = certificates.caChain("mx.example.com");

        assertThat(chain.leaf().chain()).containsExactly(chain.leaf().certificate(),
                chain.intermediate().certificate(), chain.root().certificate());
        assertThat(chain.intermediate().certificate().getBasicConstraints()).isZero();
        validate(chain.leaf().withoutRoot().chain(), chain.root().certificate());
    }

    @Test
    void leafDoesNotValidateAgainstAnotherCa() {
        CertifiedKey leaf = certificates.leaf(certificates.ca("Test CA"), "mx.example.com");
        CertifiedKey otherCa = certificates.ca("Other CA");

        assertThatThrownBy(() -> validate(leaf.withoutRoot().chain(), otherCa.certificate()))
                .isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void expiredLeafEndedBeforeNow() {
        CertifiedKey leaf = certificates.expiredLeaf(certificates.ca("Test CA"), "mx.example.com");

        assertThatThrownBy(() -> leaf.certificate().checkValidity())
                .isInstanceOf(CertificateExpiredException.class);
    }

    @Test
    void selfSignedLeafIsItsOwnIssuerButNoCa() throws Exception {
        CertifiedKey leaf = certificates.selfSignedLeaf("mx.example.com");

        X509Certificate certificate = leaf.certificate();
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(certificate.getSubjectX500Principal());
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        certificate.verify(certificate.getPublicKey());
    }

    @Test
    void wrongNamesLeafNamesOnlyTheInvalidHost() throws Exception {
        CertifiedKey leaf = certificates.leafWithWrongNames(certificates.ca("Test CA"));

        assertThat(leaf.certificate().getSubjectAlternativeNames())
                .containsExactly(List.of(2, TestCertificates.WRONG_NAME));
    }

    @Test
    void rsaCertificatesUseRsaKeysAndSignatures() {
        TestCertificates rsa = TestCertificates.rsa();
        CertifiedKey leaf = rsa.leaf(rsa.ca("RSA CA"), "mx.example.com");

        assertThat(leaf.publicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(leaf.certificate().getSigAlgName()).isEqualTo("SHA256withRSA");
    }

    @Test
    void ecCertificatesUseP256() {
        CertifiedKey ca = certificates.ca("Test CA");

        assertThat(ca.publicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(ca.certificate().getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(((java.security.interfaces.ECPublicKey) ca.publicKey()).getParams().getCurve().getField()
                .getFieldSize()).isEqualTo(256);
    }

    @Test
    void leafNeedsAtLeastOneName() {
        CertifiedKey ca = certificates.ca("Test CA");

        assertThatThrownBy(() -> certificates.leaf(ca)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void validate(List<X509Certificate> chain, X509Certificate anchor) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
    }
}
