package dev.mta.security.dane;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.OptionalInt;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A DANE-TA(2) trust anchor (RFC 6698 2.1.1): a certificate of the presented chain above the leaf
 * that a record matched, or a certificate or public key given in full in the record when the
 * server left the anchor out of its chain (RFC 7671 5.2). As in RFC 5280 6.1.1 (d), an anchor is
 * a name and a key; a bare key from an SPKI(1) Full(0) record has no name.
 *
 * @param certificate the anchor's certificate, when there is one
 * @param key         the key that signs the top of the path
 * @param depth       where the anchor is in the chain as presented; empty when only the record has it
 */
record DaneTrustAnchor(Optional<X509Certificate> certificate, PublicKey key, OptionalInt depth) {

    static DaneTrustAnchor inChain(X509Certificate certificate, int depth) {
        return new DaneTrustAnchor(Optional.of(certificate), certificate.getPublicKey(), OptionalInt.of(depth));
    }

    /**
     * The anchor a Full(0) DANE-TA(2) record carries: a DER certificate (Cert(0)) or a DER
     * SubjectPublicKeyInfo (SPKI(1)).
     *
     * @throws IllegalArgumentException when the data is not one
     */
    static DaneTrustAnchor fromRecord(TlsaAssociation record) {
        byte[] data = record.data();
        if (record.selector() == Selector.CERT.code()) {
            try {
                var certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(data));
                return new DaneTrustAnchor(Optional.of(certificate), certificate.getPublicKey(), OptionalInt.empty());
            } catch (CertificateException | ClassCastException e) {
                throw new IllegalArgumentException("the record's data is not a DER certificate: " + e.getMessage(), e);
            }
        }
        try {
            PublicKey key = new JcaPEMKeyConverter().getPublicKey(SubjectPublicKeyInfo.getInstance(data));
            return new DaneTrustAnchor(Optional.empty(), key, OptionalInt.empty());
        } catch (PEMException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the record's data is not a usable public key: " + e.getMessage(), e);
        }
    }

    /**
     * Whether {@code certificate} is the top of a path from this anchor: named by it as issuer
     * when the anchor has a certificate (the signature is for path validation to check), or
     * signed by the key when the anchor is a bare key, whose name is unknown.
     */
    boolean isIssuerOf(X509Certificate certificate) {
        if (this.certificate.isPresent()) {
            return certificate.getIssuerX500Principal().equals(this.certificate.get().getSubjectX500Principal());
        }
        try {
            certificate.verify(key);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    String describe() {
        String where = depth.isPresent() ? " at depth " + depth.getAsInt() : " given in the record";
        return certificate.map(c -> "trust anchor " + c.getSubjectX500Principal().getName() + where)
                .orElse("trust anchor key" + where);
    }
}
