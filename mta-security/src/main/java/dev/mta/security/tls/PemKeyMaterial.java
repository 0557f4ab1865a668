package dev.mta.security.tls;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A certificate chain and its private key, read from PEM files the way Postfix and OpenSSL
 * write them. The chain file holds the leaf first and then its issuers; the key may be PKCS#8
 * ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1
 * ({@code BEGIN EC PRIVATE KEY}). Both may be in one file. Encrypted keys are refused: the
 * relay starts unattended and has nowhere to ask for a passphrase.
 */
public record PemKeyMaterial(List<X509Certificate> chain, PrivateKey privateKey) {

    public PemKeyMaterial {
        chain = List.copyOf(chain);
        Objects.requireNonNull(privateKey, "privateKey");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("key material needs at least one certificate");
        }
    }

    /** The certificate the key belongs to. */
    public X509Certificate leaf() {
        return chain.getFirst();
    }

    /**
     * Loads and checks a chain and key: no other user can replace either file nor read the key
     * (see {@link KeyFilePermissions}), the files exist and hold PEM, the key is not encrypted,
     * it belongs to the first certificate, and each certificate is issued by the next one.
     */
    public static PemKeyMaterial load(Path certificateChainFile, Path privateKeyFile) throws KeyMaterialException {
        KeyFilePermissions.requireNotReadableByOthers(privateKeyFile);
        KeyFilePermissions.requireNotReplaceableByOthers(privateKeyFile, "private key");
        KeyFilePermissions.requireNotReplaceableByOthers(certificateChainFile, "certificate chain");
        List<X509Certificate> chain = readChain(certificateChainFile);
        PrivateKey key = readKey(privateKeyFile);
        checkKeyMatches(certificateChainFile, privateKeyFile, chain.getFirst(), key);
        checkOrder(certificateChainFile, chain);
        return new PemKeyMaterial(chain, key);
    }

    private static List<X509Certificate> readChain(Path file) throws KeyMaterialException {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> chain = new ArrayList<>();
        for (Object object : PemObjects.read(file, "certificate chain")) {
            if (object instanceof X509CertificateHolder holder) {
                try {
                    chain.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new KeyMaterialException(file, "certificate " + (chain.size() + 1)
                            + " cannot be decoded: " + e.getMessage(), e);
                }
            } else if (!isPrivateKey(object)) {
                // A key is tolerated: one file may hold both (Postfix's smtpd_tls_chain_files).
                throw new KeyMaterialException(file, "holds " + describe(object)
                        + " where only certificates (and optionally their key) belong");
            }
        }
        if (chain.isEmpty()) {
            throw new KeyMaterialException(file, "holds no certificate (BEGIN CERTIFICATE)");
        }
        return chain;
    }

    private static PrivateKey readKey(Path file) throws KeyMaterialException {
        PrivateKeyInfo found = null;
        for (Object object : PemObjects.read(file, "private key")) {
            if (object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair) {
                throw new KeyMaterialException(file, "the private key is encrypted; the relay cannot ask for a "
                        + "passphrase, so decrypt it (openssl pkey -in KEY -out KEY.plain) and protect the file "
                        + "with permissions instead");
            }
            PrivateKeyInfo info = switch (object) {
                case PrivateKeyInfo pkcs8 -> pkcs8;
                case PEMKeyPair traditional -> traditional.getPrivateKeyInfo();
                default -> null;
            };
            if (info != null) {
                if (found != null) {
                    throw new KeyMaterialException(file, "holds more than one private key");
                }
                found = info;
            } else if (object instanceof SubjectPublicKeyInfo) {
                throw new KeyMaterialException(file, "holds a public key (BEGIN PUBLIC KEY), not the private key");
            }
            // Anything else (the certificates of a combined file, EC PARAMETERS) is not ours to judge.
        }
        if (found == null) {
            throw new KeyMaterialException(file, "holds no private key (BEGIN PRIVATE KEY, BEGIN RSA PRIVATE KEY "
                    + "or BEGIN EC PRIVATE KEY)");
        }
        try {
            return new JcaPEMKeyConverter().getPrivateKey(found);
        } catch (PEMException e) {
            throw new KeyMaterialException(file, "the private key cannot be decoded: " + e.getMessage(), e);
        }
    }

    private static void checkKeyMatches(Path chainFile, Path keyFile, X509Certificate leaf, PrivateKey key)
            throws KeyMaterialException {
        if (!KeyPairCheck.supports(key)) {
            throw new KeyMaterialException(keyFile, "the private key is " + key.getAlgorithm()
                    + "; the relay serves RSA, EC and EdDSA keys");
        }
        String certificateAlgorithm = leaf.getPublicKey().getAlgorithm();
        if (!certificateAlgorithm.equals(key.getAlgorithm())) {
            throw new KeyMaterialException(keyFile, "the private key is " + key.getAlgorithm()
                    + " but the first certificate in " + chainFile + " has an " + certificateAlgorithm + " key");
        }
        if (!KeyPairCheck.belongTogether(key, leaf.getPublicKey())) {
            throw new KeyMaterialException(keyFile, "the private key does not match the first certificate in "
                    + chainFile + " (" + leaf.getSubjectX500Principal().getName() + ")");
        }
    }

    private static void checkOrder(Path file, List<X509Certificate> chain) throws KeyMaterialException {
        for (int i = 0; i + 1 < chain.size(); i++) {
            X509Certificate certificate = chain.get(i);
            X509Certificate issuer = chain.get(i + 1);
            if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                throw new KeyMaterialException(file, "certificate " + (i + 2) + " ("
                        + issuer.getSubjectX500Principal().getName() + ") did not issue certificate " + (i + 1)
                        + " (issuer " + certificate.getIssuerX500Principal().getName()
                        + "); list the server certificate first, then each issuer in order");
            }
        }
    }

    private static boolean isPrivateKey(Object object) {
        return object instanceof PrivateKeyInfo || object instanceof PEMKeyPair
                || object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair;
    }

    private static String describe(Object object) {
        return switch (object) {
            case SubjectPublicKeyInfo ignored -> "a public key";
            default -> "a " + object.getClass().getSimpleName();
        };
    }
}
