package dev.mta.security.dane;

import static dev.mta.security.dane.Records.CERT;
import static dev.mta.security.dane.Records.FULL;
import static dev.mta.security.dane.Records.SHA2_256;
import static dev.mta.security.dane.Records.SPKI;
import static dev.mta.security.dane.Records.daneEe;
import static dev.mta.security.dane.Records.daneTa;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.security.dane.DaneVerdict.Authenticated;
import dev.mta.security.dane.DaneVerdict.Failed;
import dev.mta.security.dane.DaneVerdict.Failure;
import dev.mta.testsupport.tls.CaChain;
import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.TestCertificates;
import dev.mta.testsupport.tls.TestTlsContexts;
import java.net.InetAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * The chain as a real TLS server sends it over loopback, taken from the client's session the way
 * the SMTP client's verifyPeer hook gets it, verifies as the generated one does.
 */
class HandshakeChainTest {

    private static final ReferenceIdentifiers MX = ReferenceIdentifiers.forMxHost("mx.example.com", "mx.example.com", "example.com");

    private final TestCertificates certificates = TestCertificates.ec();
    private final CaChain ca = certificates.caChain("mx.example.com");

    @Test
    void aServerLeavingOutItsRootIsAuthenticatedByItsRootKeyInTheRecord() throws Exception {
        List<X509Certificate> presented = chainPresentedBy(ca.leaf().withoutRoot());

        DaneVerdict verdict = DaneVerifier.verify(List.of(daneTa(SPKI, FULL, ca.root().certificate())), presented,
                MX, Instant.now());

        assertThat(presented).hasSize(2);
        assertThat(verdict).isInstanceOf(Authenticated.class);
    }

    @Test
    void aServerSendingItsWholeChainIsAuthenticatedByADigestOfItsRoot() throws Exception {
        List<X509Certificate> presented = chainPresentedBy(ca.leaf());

        DaneVerdict verdict = DaneVerifier.verify(List.of(daneTa(CERT, SHA2_256, ca.root().certificate())), presented,
                MX, Instant.now());

        assertThat(((Authenticated) verdict).matchedDepth()).hasValue(2);
    }

    @Test
    void aServerWithAnotherKeyThanPublishedFails() throws Exception {
        CertifiedKey published = certificates.selfSignedLeaf("mx.example.com");
        List<X509Certificate> presented = chainPresentedBy(certificates.selfSignedLeaf("mx.example.com"));

        DaneVerdict verdict = DaneVerifier.verify(List.of(daneEe(SPKI, SHA2_256, published.certificate())), presented,
                MX, Instant.now());

        assertThat(((Failed) verdict).failure()).isEqualTo(Failure.NO_MATCH);
    }

    /** One handshake on loopback; the client accepts anything, as a DANE client must before verifying. */
    private static List<X509Certificate> chainPresentedBy(CertifiedKey serverKey) throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) serverKey.serverSslContext().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    socket.setSoTimeout(5000);
                    socket.startHandshake();
                    socket.getInputStream().read();
                } catch (java.io.IOException e) {
                    // The client side decides the test.
                }
            });
            try (SSLSocket socket = (SSLSocket) TestTlsContexts.clientTrustingEverything().getSocketFactory()
                    .createSocket(listener.getInetAddress(), listener.getLocalPort())) {
                socket.setSoTimeout(5000);
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName("mx.example.com")));
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                Certificate[] peer = socket.getSession().getPeerCertificates();
                return Arrays.stream(peer).map(X509Certificate.class::cast).toList();
            } finally {
                served.get(5, TimeUnit.SECONDS);
            }
        }
    }
}
