package dev.mta.testsupport.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

class TestTlsContextsTest {
    private final TestCertificates certificates = TestCertificates.ec();

    @Test
    void clientTrustingTheCaCompletesAHandshakeWithItsLeaf() throws Exception {
        CertifiedKey ca = certificates.ca("Test CA");
        CertifiedKey leaf = certificates.leaf(ca, "mx.example.com");

        SSLSession session = LoopbackHandshake.run(leaf.serverSslContext(), ca.trustingSslContext(),
                "mx.example.com", true);

        assertThat(session.getProtocol()).isEqualTo("TLSv1.3");
        assertThat(session.getPeerCertificates()).containsExactlyElementsOf(leaf.chain());
    }

    @Test
    void clientTrustingTheRootAcceptsALeafFromAnIntermediate() throws Exception {
        CaChain chain = certificates.caChain("mx.example.com");

        SSLSession session = LoopbackHandshake.run(chain.leaf().withoutRoot().serverSslContext(),
                chain.root().trustingSslContext(), "mx.example.com", true);

        assertThat(session.getPeerCertificates()).hasSize(2);
    }

    @Test
    void clientTrustingAnotherCaRejectsTheLeaf() {
        CertifiedKey leaf = certificates.leaf(certificates.ca("Test CA"), "mx.example.com");
        CertifiedKey otherCa = certificates.ca("Other CA");

        assertThatThrownBy(() -> LoopbackHandshake.run(leaf.serverSslContext(), otherCa.trustingSslContext(),
                "mx.example.com", false))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void expiredLeafFailsTheHandshake() {
        CertifiedKey ca = certificates.ca("Test CA");
        CertifiedKey leaf = certificates.expiredLeaf(ca, "mx.example.com");

        assertThatThrownBy(() -> LoopbackHandshake.run(leaf.serverSslContext(), ca.trustingSslContext(),
                "mx.example.com", false))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void leafWithWrongNamesFailsHostNameVerification() {
        CertifiedKey ca = certificates.ca("Test CA");
        CertifiedKey leaf = certificates.leafWithWrongNames(ca);

        assertThatThrownBy(() -> LoopbackHandshake.run(leaf.serverSslContext(), ca.trustingSslContext(),
                "mx.example.com", true))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("No subject alternative DNS name");
    }

    @Test
    void trustEverythingClientAcceptsASelfSignedLeaf() throws Exception {
        CertifiedKey leaf = certificates.selfSignedLeaf("mx.example.com");

        SSLSession session = LoopbackHandshake.run(leaf.serverSslContext(),
                TestTlsContexts.clientTrustingEverything(), "mx.example.com", false);

        assertThat(session.getPeerCertificates()[0]).isEqualTo(leaf.certificate());
    }

    @Test
    void rsaLeafCompletesAHandshake() throws Exception {
        TestCertificates rsa = TestCertificates.rsa();
        CertifiedKey ca = rsa.ca("RSA CA");
        CertifiedKey leaf = rsa.leaf(ca, "mx.example.com");

        SSLSession session = LoopbackHandshake.run(leaf.serverSslContext(), ca.trustingSslContext(),
                "mx.example.com", true);

        assertThat(session.getPeerCertificates()[0].getPublicKey().getAlgorithm()).isEqualTo("RSA");
    }
}
