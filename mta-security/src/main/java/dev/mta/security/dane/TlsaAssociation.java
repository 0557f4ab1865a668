package dev.mta.security.dane;

import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One TLSA record's data (RFC 6698 2.1) as the verifier takes it, whatever the values: which of
 * them SMTP can use is {@link TlsaUsability}'s call. The fields are kept as the raw octets so that
 * unknown usages, selectors and matching types can still be shown and reported.
 *
 * @param usage        certificate usage, 0 to 255 (RFC 6698 2.1.1)
 * @param selector     selector, 0 to 255 (RFC 6698 2.1.2)
 * @param matchingType matching type, 0 to 255 (RFC 6698 2.1.3)
 * @param data         certificate association data (RFC 6698 2.1.4); copied in and out
 */
public record TlsaAssociation(int usage, int selector, int matchingType, byte[] data) {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    /** Hex digits shown by {@link #describe()}: enough to tell records apart in a log line. */
    private static final int SHORT_HEX = 16;

    public TlsaAssociation {
        requireOctet("usage", usage);
        requireOctet("selector", selector);
        requireOctet("matchingType", matchingType);
        data = Objects.requireNonNull(data, "data").clone();
    }

    /** Convenience for the three known fields. */
    public TlsaAssociation(CertificateUsage usage, Selector selector, MatchingType matchingType, byte[] data) {
        this(usage.code(), selector.code(), matchingType.code(), data);
    }

    /**
     * The record that {@code certificate} would be published as: its DER or SPKI, in full or
     * digested. Used to show operators the record their certificate needs, and by tests.
     */
    public static TlsaAssociation derive(CertificateUsage usage, Selector selector, MatchingType matchingType,
                                         X509Certificate certificate) {
        try {
            return new TlsaAssociation(usage, selector, matchingType, matchingType.apply(selector.select(certificate)));
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
        }
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /**
     * Whether this record's selector and matching type, applied to {@code certificate}, give its
     * data. A record with an unknown selector or matching type matches nothing.
     */
    boolean matches(X509Certificate certificate) {
        var knownSelector = Selector.fromCode(selector);
        var knownType = MatchingType.fromCode(matchingType);
        if (knownSelector.isEmpty() || knownType.isEmpty()) {
            return false;
        }
        try {
            return MessageDigest.isEqual(data, knownType.get().apply(knownSelector.get().select(certificate)));
        } catch (CertificateEncodingException e) {
            // A certificate that cannot be encoded cannot be the one the record describes.
            return false;
        }
    }

    int dataLength() {
        return data.length;
    }

    /** The presentation format of RFC 6698 2.2: {@code 3 1 1 0A1B...}. */
    public String presentation() {
        return usage + " " + selector + " " + matchingType + " " + HEX.formatHex(data);
    }

    /** For logs and {@code mta policy}: {@code DANE-EE(3) SPKI(1) SHA2-256(1) 0A1B2C3D4E5F6071...}. */
    public String describe() {
        String hex = HEX.formatHex(data, 0, Math.min(data.length, SHORT_HEX / 2));
        return CertificateUsage.describe(usage) + " " + Selector.describe(selector) + " "
                + MatchingType.describe(matchingType) + " " + (hex.isEmpty() ? "(no data)" : hex)
                + (data.length > SHORT_HEX / 2 ? "..." : "");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TlsaAssociation that
                && usage == that.usage && selector == that.selector && matchingType == that.matchingType
                && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(usage, selector, matchingType, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return describe();
    }

    private static void requireOctet(String field, int value) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException("TLSA " + field + " is one octet (0-255), not " + value);
        }
    }
}
