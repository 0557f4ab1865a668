package dev.mta.security.dane;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;

/**
 * TLSA records derived from certificates the way a publisher would, independently of the code
 * under test: the SPKI from the JDK's encoding of the key, the digests from MessageDigest.
 */
final class Records {

    static final int PKIX_TA = 0;
    static final int PKIX_EE = 1;
    static final int DANE_TA = 2;
    static final int DANE_EE = 3;
    static final int CERT = 0;
    static final int SPKI = 1;
    static final int FULL = 0;
    static final int SHA2_256 = 1;
    static final int SHA2_512 = 2;

    private Records() {
    }

    static TlsaAssociation record(int usage, int selector, int matchingType, X509Certificate certificate) {
        try {
            byte[] selected = selector == CERT ? certificate.getEncoded() : certificate.getPublicKey().getEncoded();
            byte[] data = switch (matchingType) {
                case FULL -> selected;
                case SHA2_256 -> MessageDigest.getInstance("SHA-256").digest(selected);
                case SHA2_512 -> MessageDigest.getInstance("SHA-512").digest(selected);
                default -> throw new IllegalArgumentException("no data for matching type " + matchingType);
            };
            return new TlsaAssociation(usage, selector, matchingType, data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static TlsaAssociation daneEe(int selector, int matchingType, X509Certificate certificate) {
        return record(DANE_EE, selector, matchingType, certificate);
    }

    static TlsaAssociation daneTa(int selector, int matchingType, X509Certificate certificate) {
        return record(DANE_TA, selector, matchingType, certificate);
    }

    /** A record of the given shape whose data matches no certificate. */
    static TlsaAssociation unrelated(int usage, int selector, int matchingType) {
        int length = switch (matchingType) {
            case SHA2_256 -> 32;
            case SHA2_512 -> 64;
            default -> 48;
        };
        byte[] data = new byte[length];
        data[0] = 0x42;
        return new TlsaAssociation(usage, selector, matchingType, data);
    }
}
