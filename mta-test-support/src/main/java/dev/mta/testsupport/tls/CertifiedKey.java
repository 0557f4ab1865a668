package dev.mta.testsupport.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A certificate chain and the private key of its first certificate, as a server would present
 * it: the leaf first, then each issuer up to and including the root.
 */
public record CertifiedKey(List<X509Certificate> chain, PrivateKey privateKey) {

    public CertifiedKey {
        chain = List.copyOf(chain);
        Objects.requireNonNull(privateKey, "privateKey");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certified key needs at least one certificate");
        }
    }

    /** The certificate this key belongs to (the leaf, or the CA itself for a CA). */
    public X509Certificate certificate() {
        return chain.getFirst();
    }

    public PublicKey publicKey() {
        return certificate().getPublicKey();
    }

    /** The subject's common name, or the empty string when it has none. */
    public String commonName() {
        X500Name name = X500Name.getInstance(
                certificate().getSubjectX500Principal().getEncoded());
        var rdns = name.getRDNs(BCStyle.CN);
        return rdns.length == 0 ? "" : IETFUtils.valueToString(rdns[0].getFirst().getValue());
    }

    /**
     * The same key with the self-signed root dropped from the chain, as most servers send it.
     * A chain of one certificate is returned unchanged.
     */
    public CertifiedKey withoutRoot() {
        X509Certificate last = chain.getLast();
        X500Principal subject = last.getSubjectX500Principal();
        if (chain.size() == 1 || !subject.equals(last.getIssuerX500Principal())) {
            return this;
        }
        return new CertifiedKey(chain.subList(0, chain.size() - 1), privateKey);
    }

    /** The chain as concatenated {@code CERTIFICATE} PEM blocks, leaf first. */
    public String certificateChainPem() {
        return pem(chain.toArray());
    }

    /** The private key as PKCS#8 ({@code BEGIN PRIVATE KEY}). */
    public String privateKeyPem() {
        try {
            return pem(new JcaPKCS8Generator(privateKey, null));
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalStateException("cannot encode private key", e);
        }
    }

    /**
     * The private key in OpenSSL's traditional form: PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) for
     * RSA, SEC1 ({@code BEGIN EC PRIVATE KEY}) for EC.
     */
    public String traditionalPrivateKeyPem() {
        if (privateKey instanceof ECPrivateKey ec) {
            // The JDK's PKCS#8 encoding leaves curve and public key out of the inner SEC1
            // structure, so converting it would give a key OpenSSL cannot read; build it whole.
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(privateKey.getEncoded());
            var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(ec.getParams().getOrder().bitLength(), ec.getS(),
                    SubjectPublicKeyInfo.getInstance(publicKey().getEncoded()).getPublicKeyData(),
                    info.getPrivateKeyAlgorithm().getParameters());
            try {
                return pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot encode EC private key", e);
            }
        }
        return pem(privateKey);
    }

    /** Writes {@code <common name>-chain.pem} and {@code <common name>-key.pem} into a directory. */
    public PemFiles writePem(Path directory) {
        String base = commonName().replaceAll("[^A-Za-z0-9._-]", "_");
        return writePem(directory, base.isEmpty() ? "certificate" : base);
    }

    /**
     * Writes {@code <baseName>-chain.pem} and {@code <baseName>-key.pem} (PKCS#8, mode 0600 where
     * the file system has POSIX permissions) into a directory.
     */
    public PemFiles writePem(Path directory, String baseName) {
        Path chainFile = directory.resolve(baseName + "-chain.pem");
        Path keyFile = directory.resolve(baseName + "-key.pem");
        try {
            Files.writeString(chainFile, certificateChainPem(), StandardCharsets.US_ASCII);
            Files.writeString(keyFile, privateKeyPem(), StandardCharsets.US_ASCII);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write PEM files to " + directory, e);
        }
        return new PemFiles(chainFile, keyFile);
    }

    /** A PKCS#12 key store holding this key and chain under the alias {@code key}. */
    public KeyStore keyStore(char[] password) {
        return TestTlsContexts.keyStore(this, password);
    }

    /** A server context presenting this chain; the JVM's default protocols and suites apply. */
    public SSLContext serverSslContext() {
        return TestTlsContexts.server(this);
    }

    /** A client context whose only trust anchor is this certificate (normally a CA). */
    public SSLContext trustingSslContext() {
        return TestTlsContexts.clientTrusting(certificate());
    }

    private static String pem(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode PEM", e);
        }
        return out.toString();
    }
}
