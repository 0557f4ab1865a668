package dev.mta.testsupport.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.List;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertifiedKeyTest {
    private final TestCertificates certificates = TestCertificates.ec();

    @TempDir
    Path directory;

    @Test
    void writePemWritesTheChainLeafFirstAndAPkcs8Key() throws Exception {
        CertifiedKey leaf = certificates.leaf(certificates.ca("Test CA"), "mx.example.com");

        PemFiles files = leaf.writePem(directory);

        assertThat(files.certificateChain()).hasFileName("mx.example.com-chain.pem");
        assertThat(files.privateKey()).hasFileName("mx.example.com-key.pem");
        try (InputStream in = Files.newInputStream(files.certificateChain())) {
            List<X509Certificate> read = CertificateFactory.getInstance("X.509").generateCertificates(in)
                    .stream().map(X509Certificate.class::cast).toList();
            assertThat(read).containsExactlyElementsOf(leaf.chain());
        }
        assertThat(Files.readString(files.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.getPosixFilePermissions(files.privateKey()))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void writePemUsesTheGivenBaseName() {
        CertifiedKey ca = certificates.ca("Test CA");

        PemFiles files = ca.writePem(directory, "anchor");

        assertThat(files.certificateChain()).isEqualTo(directory.resolve("anchor-chain.pem")).exists();
        assertThat(files.privateKey()).isEqualTo(directory.resolve("anchor-key.pem")).exists();
    }

    @Test
    void traditionalKeyPemIsSec1ForEcAndPkcs1ForRsa() {
        TestCertificates rsa = TestCertificates.rsa();

        assertThat(certificates.ca("EC CA").traditionalPrivateKeyPem()).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(rsa.ca("RSA CA").traditionalPrivateKeyPem()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    }

    @Test
    void traditionalEcKeyCarriesTheCurveAndPublicKeyAsOpensslWritesIt() throws Exception {
        CertifiedKey ca = certificates.ca("EC CA");
        String pem = ca.traditionalPrivateKeyPem();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            PEMKeyPair pair = (PEMKeyPair) parser.readObject();

            assertThat(pair.getPublicKeyInfo().getEncoded()).isEqualTo(ca.publicKey().getEncoded());
            ECPrivateKey read = (ECPrivateKey) new JcaPEMKeyConverter().getPrivateKey(pair.getPrivateKeyInfo());
            assertThat(read.getS()).isEqualTo(((ECPrivateKey) ca.privateKey()).getS());
        }
    }

    @Test
    void withoutRootDropsOnlyTheSelfSignedRoot() {
        CaChain chain = certificates.caChain("mx.example.com");

        assertThat(chain.leaf().withoutRoot().chain())
                .containsExactly(chain.leaf().certificate(), chain.intermediate().certificate());
        assertThat(chain.root().withoutRoot()).isSameAs(chain.root());
    }

    @Test
    void keyStoreHoldsTheKeyAndChain() throws Exception {
        CertifiedKey leaf = certificates.leaf(certificates.ca("Test CA"), "mx.example.com");
        char[] password = "secret".toCharArray();

        KeyStore store = leaf.keyStore(password);

        assertThat(store.getKey("key", password)).isEqualTo(leaf.privateKey());
        assertThat(store.getCertificateChain("key")).containsExactlyElementsOf(leaf.chain());
    }
}
