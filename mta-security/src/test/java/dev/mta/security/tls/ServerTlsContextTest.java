package dev.mta.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.PemFiles;
import dev.mta.testsupport.tls.TestCertificates;
import dev.mta.testsupport.tls.TestTlsContexts;
import java.nio.file.Path;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTlsContextTest {
    private static final TestCertificates EC = TestCertificates.ec();
    private static final CertifiedKey CA = EC.ca("Test CA");
    private static final CertifiedKey LEAF = EC.leaf(CA, "mx.example.com");

    private final ServerTlsContext server = ServerTlsContext.create(new PemKeyMaterial(LEAF.chain(), LEAF.privateKey()));

    @TempDir
    Path directory;

    @Test
    void enablesTls13AndTls12Only() {
        assertThat(server.enabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(server.sslParameters().getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    }

    @Test
    void enablesOnlyForwardSecretAeadSuitesInPreferenceOrder() {
        assertThat(server.enabledCipherSuites())
                .isNotEmpty()
                .isSubsetOf(ServerTlsContext.PREFERRED_CIPHER_SUITES)
                .allMatch(suite -> suite.contains("_GCM_") || suite.contains("CHACHA20_POLY1305"))
                .allMatch(suite -> !suite.startsWith("TLS_") || suite.startsWith("TLS_AES")
                        || suite.startsWith("TLS_CHACHA20") || suite.startsWith("TLS_ECDHE_"));
        assertThat(server.enabledCipherSuites()[0]).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(server.sslParameters().getUseCipherSuitesOrder()).isTrue();
    }

    @Test
    void accessorsReturnCopiesTheCallerCannotChange() {
        server.enabledProtocols()[0] = "SSLv3";

        assertThat(server.enabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    }

    @Test
    void aModernClientNegotiatesTls13() throws Exception {
        SSLSession session = TlsProbe.handshake(server.sslContext(), server.sslParameters(),
                CA.trustingSslContext(), socket -> { });

        assertThat(session.getProtocol()).isEqualTo("TLSv1.3");
        assertThat(session.getPeerCertificates()[0]).isEqualTo(LEAF.certificate());
    }

    @Test
    void aTls12ClientNegotiatesEcdheWithAesGcm() throws Exception {
        SSLSession session = TlsProbe.handshake(server.sslContext(), server.sslParameters(),
                CA.trustingSslContext(), socket -> socket.setEnabledProtocols(new String[] {"TLSv1.2"}));

        assertThat(session.getProtocol()).isEqualTo("TLSv1.2");
        assertThat(session.getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void theServerOrderWinsOverTheClientOrder() throws Exception {
        SSLSession session = TlsProbe.handshake(server.sslContext(), server.sslParameters(),
                CA.trustingSslContext(), socket -> {
                    socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                    socket.setEnabledCipherSuites(new String[] {
                        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"});
                });

        assertThat(session.getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void aClientOfferingOnlyCbcSuitesIsRefused() {
        assertThatThrownBy(() -> TlsProbe.handshake(server.sslContext(), server.sslParameters(),
                CA.trustingSslContext(), socket -> {
                    socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                    socket.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"});
                }))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void anRsaKeyNegotiatesEcdheRsaUnderTls12() throws Exception {
        TestCertificates rsa = TestCertificates.rsa();
        CertifiedKey rsaCa = rsa.ca("RSA CA");
        CertifiedKey rsaLeaf = rsa.leaf(rsaCa, "mx.example.com");
        ServerTlsContext rsaServer = ServerTlsContext.create(new PemKeyMaterial(rsaLeaf.chain(), rsaLeaf.privateKey()));

        SSLSession session = TlsProbe.handshake(rsaServer.sslContext(), rsaServer.sslParameters(),
                rsaCa.trustingSslContext(), socket -> socket.setEnabledProtocols(new String[] {"TLSv1.2"}));

        assertThat(session.getCipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void loadReadsPemFilesAndServesTheirChain() throws Exception {
        CertifiedKey chained = EC.caChain("mx.example.com").leaf().withoutRoot();
        PemFiles files = chained.writePem(directory);

        ServerTlsContext loaded = ServerTlsContext.load(files.certificateChain(), files.privateKey());
        SSLSession session = TlsProbe.handshake(loaded.sslContext(), loaded.sslParameters(),
                TestTlsContexts.clientTrustingEverything(), socket -> { });

        assertThat(session.getPeerCertificates()).containsExactlyElementsOf(chained.chain());
    }
}
