package dev.mta.testsupport.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes certificates at test time with Bouncy Castle: CAs, leaves signed by them, and the
 * broken leaves that verification tests need. Each call makes a fresh key pair. The JVM's own
 * providers do the key generation and signing, so no provider is registered globally.
 */
public final class TestCertificates {
    /** Used by {@link #leafWithWrongNames}: the reserved TLD guarantees it matches no real host. */
    public static final String WRONG_NAME = "wrong-name.invalid";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyType keyType;

    private TestCertificates(KeyType keyType) {
        this.keyType = Objects.requireNonNull(keyType, "keyType");
    }

    /** EC P-256 keys: the fast default. */
    public static TestCertificates ec() {
        return new TestCertificates(KeyType.EC_P256);
    }

    /** RSA 2048 keys. */
    public static TestCertificates rsa() {
        return new TestCertificates(KeyType.RSA_2048);
    }

    public static TestCertificates withKeys(KeyType keyType) {
        return new TestCertificates(keyType);
    }

    /** A self-signed root CA (basicConstraints CA, keyCertSign), valid now. */
    public CertifiedKey ca(String commonName) {
        return ca(commonName, Validity.current());
    }

    public CertifiedKey ca(String commonName, Validity validity) {
        KeyPair keys = newKeyPair();
        X500Name subject = name(commonName);
        var builder = builder(subject, subject, keys.getPublic(), validity);
        addCaExtensions(builder, keys.getPublic(), keys.getPublic(), -1);
        return new CertifiedKey(List.of(sign(builder, keys.getPrivate())), keys.getPrivate());
    }

    /** An intermediate CA signed by {@code issuer}; its chain continues with the issuer's chain. */
    public CertifiedKey intermediateCa(CertifiedKey issuer, String commonName) {
        KeyPair keys = newKeyPair();
        var builder = builder(issuerName(issuer), name(commonName), keys.getPublic(), Validity.current());
        // pathLen 0: this CA may sign leaves only, as a typical issuing CA.
        addCaExtensions(builder, keys.getPublic(), issuer.publicKey(), 0);
        return issued(issuer, sign(builder, issuer.privateKey()), keys.getPrivate());
    }

    /** A server leaf signed by {@code issuer}; the first DNS name is also the common name. */
    public CertifiedKey leaf(CertifiedKey issuer, String... dnsNames) {
        requireNames(dnsNames);
        return leaf(issuer, dnsNames[0], List.of(dnsNames), Validity.current());
    }

    /** A server leaf with an explicit common name, subjectAltName DNS names and validity. */
    public CertifiedKey leaf(CertifiedKey issuer, String commonName, List<String> dnsNames, Validity validity) {
        KeyPair keys = newKeyPair();
        var builder = builder(issuerName(issuer), name(commonName), keys.getPublic(), validity);
        addLeafExtensions(builder, keys.getPublic(), issuer.publicKey(), dnsNames);
        return issued(issuer, sign(builder, issuer.privateKey()), keys.getPrivate());
    }

    /** A leaf that signs itself (not a CA), as many MX hosts on the Internet present. */
    public CertifiedKey selfSignedLeaf(String... dnsNames) {
        requireNames(dnsNames);
        KeyPair keys = newKeyPair();
        X500Name subject = name(dnsNames[0]);
        var builder = builder(subject, subject, keys.getPublic(), Validity.current());
        addLeafExtensions(builder, keys.getPublic(), keys.getPublic(), List.of(dnsNames));
        return new CertifiedKey(List.of(sign(builder, keys.getPrivate())), keys.getPrivate());
    }

    /** A leaf signed by {@code issuer} whose validity ended yesterday. */
    public CertifiedKey expiredLeaf(CertifiedKey issuer, String... dnsNames) {
        requireNames(dnsNames);
        return leaf(issuer, dnsNames[0], List.of(dnsNames), Validity.expired());
    }

    /** A valid leaf signed by {@code issuer} whose only name is {@link #WRONG_NAME}. */
    public CertifiedKey leafWithWrongNames(CertifiedKey issuer) {
        return leaf(issuer, WRONG_NAME);
    }

    /**
     * Root, intermediate and leaf. The leaf's chain is leaf, intermediate, root; use
     * {@link CertifiedKey#withoutRoot()} for a server that leaves the root out.
     */
    public CaChain caChain(String... leafDnsNames) {
        CertifiedKey root = ca("Test Root CA");
        CertifiedKey intermediate = intermediateCa(root, "Test Intermediate CA");
        return new CaChain(root, intermediate, leaf(intermediate, leafDnsNames));
    }

    private KeyPair newKeyPair() {
        try {
            return switch (keyType) {
                case EC_P256 -> {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
                    yield generator.generateKeyPair();
                }
                case RSA_2048 -> {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(2048, RANDOM);
                    yield generator.generateKeyPair();
                }
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM cannot generate " + keyType + " keys", e);
        }
    }

    private static CertifiedKey issued(CertifiedKey issuer, X509Certificate certificate, PrivateKey key) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        chain.addAll(issuer.chain());
        return new CertifiedKey(chain, key);
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    private static X500Name issuerName(CertifiedKey issuer) {
        return X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key, Validity validity) {
        // Positive and at most 20 octets, as RFC 5280 4.1.2.2 requires of serial numbers.
        BigInteger serial = new BigInteger(64, RANDOM).add(BigInteger.ONE);
        return new JcaX509v3CertificateBuilder(issuer, serial, Date.from(validity.notBefore()),
                Date.from(validity.notAfter()), subject, key);
    }

    private static void addCaExtensions(X509v3CertificateBuilder builder, PublicKey subjectKey,
                                        PublicKey issuerKey, int pathLength) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true,
                    pathLength < 0 ? new BasicConstraints(true) : new BasicConstraints(pathLength));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerKey));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot add CA extensions", e);
        }
    }

    private static void addLeafExtensions(X509v3CertificateBuilder builder, PublicKey subjectKey,
                                          PublicKey issuerKey, List<String> dnsNames) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            GeneralName[] names = dnsNames.stream()
                    .map(dnsName -> new GeneralName(GeneralName.dNSName, dnsName))
                    .toArray(GeneralName[]::new);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            // keyEncipherment too, so an RSA leaf also suits the (legacy) RSA key exchange.
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerKey));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot add leaf extensions", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey) {
        String algorithm = switch (issuerKey.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> throw new IllegalArgumentException("unsupported issuer key " + issuerKey.getAlgorithm());
        };
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign certificate", e);
        }
    }

    private static void requireNames(String[] dnsNames) {
        if (dnsNames.length == 0) {
            throw new IllegalArgumentException("a leaf needs at least one DNS name");
        }
        if (Arrays.stream(dnsNames).anyMatch(n -> n == null || n.isBlank())) {
            throw new IllegalArgumentException("blank DNS name in " + Arrays.toString(dnsNames));
        }
    }
}
