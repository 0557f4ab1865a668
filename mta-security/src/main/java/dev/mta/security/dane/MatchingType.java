package dev.mta.security.dane;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The matching type field of a TLSA record (RFC 6698 2.1.3), with the mnemonics of RFC 7218 2.3:
 * the selected bytes as they are, or their SHA-2 digest.
 */
public enum MatchingType {
    /** The selected bytes in full, no digest. */
    FULL(0, "Full", null, 0),
    SHA2_256(1, "SHA2-256", "SHA-256", 32),
    SHA2_512(2, "SHA2-512", "SHA-512", 64);

    private final int code;
    private final String mnemonic;
    private final String digestAlgorithm;
    private final int digestLength;

    MatchingType(int code, String mnemonic, String digestAlgorithm, int digestLength) {
        this.code = code;
        this.mnemonic = mnemonic;
        this.digestAlgorithm = digestAlgorithm;
        this.digestLength = digestLength;
    }

    public int code() {
        return code;
    }

    public String mnemonic() {
        return mnemonic;
    }

    public boolean isDigest() {
        return digestAlgorithm != null;
    }

    /** Octets in the association data of this type; 0 for {@link #FULL}, whose length varies. */
    public int digestLength() {
        return digestLength;
    }

    public static Optional<MatchingType> fromCode(int code) {
        for (MatchingType type : values()) {
            if (type.code == code) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** The association data for the selected bytes: themselves, or their digest. */
    byte[] apply(byte[] selected) {
        if (!isDigest()) {
            return selected.clone();
        }
        try {
            return MessageDigest.getInstance(digestAlgorithm).digest(selected);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 and SHA-512.
            throw new IllegalStateException(digestAlgorithm + " is missing from this JVM", e);
        }
    }

    /** The RFC 7218 form, e.g. {@code SHA2-256(1)}. */
    @Override
    public String toString() {
        return mnemonic + "(" + code + ")";
    }

    static String describe(int code) {
        return fromCode(code).map(MatchingType::toString).orElse("matching type " + code);
    }
}
