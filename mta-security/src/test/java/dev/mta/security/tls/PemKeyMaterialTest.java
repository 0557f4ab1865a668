package dev.mta.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.testsupport.tls.CaChain;
import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.PemFiles;
import dev.mta.testsupport.tls.TestCertificates;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemKeyMaterialTest {
    private static final TestCertificates EC = TestCertificates.ec();
    private static final TestCertificates RSA = TestCertificates.rsa();
    private static final CertifiedKey CA = EC.ca("Test CA");
    private static final CertifiedKey LEAF = EC.leaf(CA, "mx.example.com");

    @TempDir
    Path directory;

    @Test
    void loadsAChainAndAPkcs8Key() throws Exception {
        PemFiles files = LEAF.writePem(directory);

        PemKeyMaterial material = PemKeyMaterial.load(files.certificateChain(), files.privateKey());

        assertThat(material.chain()).containsExactlyElementsOf(LEAF.chain());
        assertThat(material.leaf()).isEqualTo(LEAF.certificate());
        assertThat(material.privateKey().getEncoded()).isEqualTo(LEAF.privateKey().getEncoded());
    }

    @Test
    void aKeyEveryUserCanReadIsRefusedAndAGroupReadableOneIsNot() throws Exception {
        PemFiles files = LEAF.writePem(directory);
        Files.setPosixFilePermissions(files.privateKey(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        assertThat(PemKeyMaterial.load(files.certificateChain(), files.privateKey()).leaf()).isEqualTo(LEAF.certificate());

        Files.setPosixFilePermissions(files.privateKey(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> PemKeyMaterial.load(files.certificateChain(), files.privateKey()))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessageContaining(files.privateKey().toString())
                .hasMessageContaining("readable by every user (rw-r--r--)")
                .hasMessageContaining("chmod 600");
    }

    @Test
    void loadsAPkcs1RsaKey() throws Exception {
        CertifiedKey rsaLeaf = RSA.leaf(RSA.ca("RSA CA"), "mx.example.com");
        Path chain = write("chain.pem", rsaLeaf.certificateChainPem());
        Path key = write("key.pem", rsaLeaf.traditionalPrivateKeyPem());
        assertThat(Files.readString(key)).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        PemKeyMaterial material = PemKeyMaterial.load(chain, key);

        assertThat(material.privateKey().getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void loadsASec1EcKey() throws Exception {
        Path chain = write("chain.pem", LEAF.certificateChainPem());
        Path key = write("key.pem", LEAF.traditionalPrivateKeyPem());
        assertThat(Files.readString(key)).startsWith("-----BEGIN EC PRIVATE KEY-----");

        PemKeyMaterial material = PemKeyMaterial.load(chain, key);

        assertThat(material.privateKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void loadsASec1KeyPrecededByEcParametersAsOpensslEcparamWritesIt() throws Exception {
        Path chain = write("chain.pem", LEAF.certificateChainPem());
        // The DER of the OID of P-256 (1.2.840.10045.3.1.7).
        String parameters = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
        Path key = write("key.pem", parameters + LEAF.traditionalPrivateKeyPem());

        assertThat(PemKeyMaterial.load(chain, key).privateKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void loadsChainAndKeyFromOneCombinedFile() throws Exception {
        Path combined = write("combined.pem", LEAF.privateKeyPem() + LEAF.certificateChainPem());

        PemKeyMaterial material = PemKeyMaterial.load(combined, combined);

        assertThat(material.chain()).containsExactlyElementsOf(LEAF.chain());
    }

    @Test
    void missingChainFileIsNamed() {
        Path missing = directory.resolve("missing-chain.pem");
        Path key = write("key.pem", LEAF.privateKeyPem());

        assertThatThrownBy(() -> PemKeyMaterial.load(missing, key))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessage(missing + ": certificate chain file does not exist")
                .satisfies(e -> assertThat(((KeyMaterialException) e).file()).isEqualTo(missing));
    }

    @Test
    void missingKeyFileIsNamed() {
        Path chain = write("chain.pem", LEAF.certificateChainPem());
        Path missing = directory.resolve("missing-key.pem");

        assertThatThrownBy(() -> PemKeyMaterial.load(chain, missing))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessage(missing + ": private key file does not exist");
    }

    @Test
    void emptyChainFileIsRefused() {
        Path empty = write("empty.pem", "");
        Path key = write("key.pem", LEAF.privateKeyPem());

        assertThatThrownBy(() -> PemKeyMaterial.load(empty, key))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessageStartingWith(empty + ": holds no PEM block");
    }

    @Test
    void directoryIsRefused() {
        Path key = write("key.pem", LEAF.privateKeyPem());

        assertThatThrownBy(() -> PemKeyMaterial.load(directory, key))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessage(directory + ": is a directory, not a certificate chain file");
    }

    @Test
    void derFileIsRefusedAsNotPem() throws Exception {
        Path der = directory.resolve("chain.der");
        Files.write(der, LEAF.certificate().getEncoded());
        Path key = write("key.pem", LEAF.privateKeyPem());

        assertThatThrownBy(() -> PemKeyMaterial.load(der, key))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessageContaining(der + ": is not a PEM file");
    }

    @Test
    void corruptBase64IsRefused() {
        Path chain = write("chain.pem", "-----BEGIN CERTIFICATE-----\nnot*base64*at*all\n-----END CERTIFICATE-----\n");
        Path key = write("key.pem", LEAF.privateKeyPem());

        assertThatThrownBy(() -> PemKeyMaterial.load(chain, key))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessageStartingWith(chain + ": ");
    }

    @Test
    void keyFileWithoutAKeyIsRefused() {
        Path chain = write("chain.pem", LEAF.certificateChainPem());

        assertThatThrownBy(() -> PemKeyMaterial.load(chain, chain))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessageStartingWith(chain + ": holds no private key");
    }

    @Test
    void chainFileWithoutACertificateIsRefused() {
        Path key = write("key.pem", LEAF.privateKeyPem());

        assertThatThrownBy(() -> PemKeyMaterial.load(key, key))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessage(key + ": holds no certificate (BEGIN CERTIFICATE)");
    }

    @Test
    void publicKeyInsteadOfPrivateKeyIsRefused() throws Exception {
        Path chain = write("chain.pem", LEAF.certificateChainPem());
        Path key = write("key.pem", pem(LEAF.publicKey()));

        assertThatThrownBy(() -> PemKeyMaterial.load(chain, key))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessageContaining("holds a public key");
    }

    @Test
    void twoKeysInTheKeyFileAreRefused() {
        Path chain = write("chain.pem", LEAF.certificateChainPem());
        Path key = write("key.pem", LEAF.privateKeyPem() + LEAF.privateKeyPem());

        assertThatThrownBy(() -> PemKeyMaterial.load(chain, key))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessage(key + ": holds more than one private key");
    }

    @Test
    void encryptedPkcs8KeyIsRefusedWithAdvice() throws Exception {
        Path chain = write("chain.pem", LEAF.certificateChainPem());
        var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                .setProvider(new BouncyCastleProvider())
                .setPassword("secret".toCharArray())
                .build();
        Path key = write("key.pem", pem(new JcaPKCS8Generator(LEAF.privateKey(), encryptor)));
        assertThat(Files.readString(key)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");

        assertThatThrownBy(() -> PemKeyMaterial.load(chain, key))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessageStartingWith(key + ": the private key is encrypted");
    }

    @Test
    void encryptedTraditionalKeyIsRefused() throws Exception {
        Path chain = write("chain.pem", LEAF.certificateChainPem());
        var encryptor = new JcePEMEncryptorBuilder("AES-128-CBC")
                .setProvider(new BouncyCastleProvider())
                .build("secret".toCharArray());
        Path key = write("key.pem", pem(new JcaMiscPEMGenerator(LEAF.privateKey(), encryptor)));
        assertThat(Files.readString(key)).contains("Proc-Type: 4,ENCRYPTED");

        assertThatThrownBy(() -> PemKeyMaterial.load(chain, key))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessageStartingWith(key + ": the private key is encrypted");
    }

    @Test
    void keyOfAnotherCertificateIsRefusedNamingBothFiles() {
        Path chain = write("chain.pem", LEAF.certificateChainPem());
        PrivateKey otherKey = EC.leaf(CA, "other.example.com").privateKey();
        Path key = write("key.pem", new CertifiedKey(LEAF.chain(), otherKey).privateKeyPem());

        assertThatThrownBy(() -> PemKeyMaterial.load(chain, key))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessageStartingWith(key + ": the private key does not match the first certificate in " + chain);
    }

    @Test
    void keyOfAnotherAlgorithmIsRefused() {
        Path chain = write("chain.pem", LEAF.certificateChainPem());
        Path key = write("key.pem", RSA.ca("RSA CA").privateKeyPem());

        assertThatThrownBy(() -> PemKeyMaterial.load(chain, key))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessageContaining("the private key is RSA but the first certificate")
                .hasMessageContaining("has an EC key");
    }

    @Test
    void chainInTheWrongOrderIsRefused() {
        CaChain chain = EC.caChain("mx.example.com");
        CertifiedKey leaf = chain.leaf();
        Path reversed = write("chain.pem", new CertifiedKey(
                List.of(leaf.certificate(), chain.root().certificate(), chain.intermediate().certificate()),
                leaf.privateKey()).certificateChainPem());
        Path key = write("key.pem", leaf.privateKeyPem());

        assertThatThrownBy(() -> PemKeyMaterial.load(reversed, key))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessageContaining("certificate 2 (CN=Test Root CA) did not issue certificate 1");
    }

    /** Written readable by the owner only, as a key must be. */
    private Path write(String name, String content) {
        try {
            Path file = Files.writeString(directory.resolve(name), content);
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pem(Object object) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
