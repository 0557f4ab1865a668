package dev.mta.security.dane;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.Certificate;

/**
 * The selector field of a TLSA record (RFC 6698 2.1.2), with the mnemonics of RFC 7218 2.2:
 * which part of a certificate the association data is about.
 */
public enum Selector {
    /** The whole certificate, DER-encoded. */
    CERT(0, "Cert"),
    /** The certificate's SubjectPublicKeyInfo, DER-encoded: survives renewal with the same key. */
    SPKI(1, "SPKI");

    private final int code;
    private final String mnemonic;

    Selector(int code, String mnemonic) {
        this.code = code;
        this.mnemonic = mnemonic;
    }

    public int code() {
        return code;
    }

    public String mnemonic() {
        return mnemonic;
    }

    public static Optional<Selector> fromCode(int code) {
        for (Selector selector : values()) {
            if (selector.code == code) {
                return Optional.of(selector);
            }
        }
        return Optional.empty();
    }

    /**
     * The bytes of {@code certificate} this selector names. The SPKI is cut from the certificate's
     * own DER rather than re-encoded from the parsed key, so it is byte for byte what the TLSA
     * publisher hashed (RFC 6698 2.1.2).
     */
    byte[] select(X509Certificate certificate) throws CertificateEncodingException {
        byte[] der = certificate.getEncoded();
        return switch (this) {
            case CERT -> der;
            case SPKI -> {
                try {
                    yield Certificate.getInstance(der).getSubjectPublicKeyInfo().getEncoded(ASN1Encoding.DER);
                } catch (IOException | IllegalArgumentException e) {
                    throw new CertificateEncodingException("cannot take the SubjectPublicKeyInfo: " + e.getMessage(), e);
                }
            }
        };
    }

    /** The RFC 7218 form, e.g. {@code SPKI(1)}. */
    @Override
    public String toString() {
        return mnemonic + "(" + code + ")";
    }

    static String describe(int code) {
        return fromCode(code).map(Selector::toString).orElse("selector " + code);
    }
}
