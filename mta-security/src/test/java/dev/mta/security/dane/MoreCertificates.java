package dev.mta.security.dane;

import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.Validity;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificate shapes TestCertificates does not make: intermediates with a chosen validity,
 * leaves with no DNS name or with other subjectAltName entries, and tampered copies.
 */
final class MoreCertificates {

    private static final SecureRandom RANDOM = new SecureRandom();

    private MoreCertificates() {
    }

    /** An intermediate CA signed by {@code issuer} with the given validity. */
    static CertifiedKey intermediateCa(CertifiedKey issuer, String commonName, Validity validity) {
        return issue(issuer, commonName, validity, true, List.of());
    }

    /** A leaf whose only name is its subject common name: no subjectAltName at all. */
    static CertifiedKey leafWithoutSubjectAltName(CertifiedKey issuer, String commonName) {
        return issue(issuer, commonName, Validity.current(), false, null);
    }

    /** A leaf with the given subjectAltName entries (any types). */
    static CertifiedKey leafWithAltNames(CertifiedKey issuer, String commonName, GeneralName... altNames) {
        return issue(issuer, commonName, Validity.current(), false, List.of(altNames));
    }

    /** The same certificate with the last octet of its signature changed: its signature no longer verifies. */
    static X509Certificate tampered(X509Certificate certificate) {
        try {
            byte[] der = certificate.getEncoded();
            der[der.length - 1] ^= 0x01;
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static CertifiedKey issue(CertifiedKey issuer, String commonName, Validity validity, boolean ca,
                                      List<GeneralName> altNames) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            KeyPair keys = generator.generateKeyPair();
            X500Name issuerName = X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                    new BigInteger(64, RANDOM).add(BigInteger.ONE), Date.from(validity.notBefore()),
                    Date.from(validity.notAfter()), subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca
                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature
                    : KeyUsage.digitalSignature));
            if (altNames != null && !altNames.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(altNames.toArray(GeneralName[]::new)));
            }
            String algorithm = issuer.privateKey().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(issuer.privateKey())));
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(certificate);
            chain.addAll(issuer.chain());
            return new CertifiedKey(chain, keys.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
