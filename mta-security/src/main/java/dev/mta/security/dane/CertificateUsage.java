package dev.mta.security.dane;

import java.util.Optional;

/**
 * The certificate usage field of a TLSA record (RFC 6698 2.1.1), with the mnemonics of RFC 7218
 * 2.1. SMTP uses only {@link #DANE_TA} and {@link #DANE_EE} (RFC 7672 3.1.3).
 */
public enum CertificateUsage {
    /** CA constraint: a PKIX trust anchor that must also be in the client's store. */
    PKIX_TA(0, "PKIX-TA"),
    /** Service certificate constraint: the leaf, which must also pass PKIX validation. */
    PKIX_EE(1, "PKIX-EE"),
    /** Trust anchor assertion: the domain names its own trust anchor (RFC 7672 3.1.2). */
    DANE_TA(2, "DANE-TA"),
    /** Domain-issued certificate: the leaf itself, nothing else checked (RFC 7672 3.1.1). */
    DANE_EE(3, "DANE-EE");

    private final int code;
    private final String mnemonic;

    CertificateUsage(int code, String mnemonic) {
        this.code = code;
        this.mnemonic = mnemonic;
    }

    public int code() {
        return code;
    }

    public String mnemonic() {
        return mnemonic;
    }

    /** The usage with this code, or empty for a value no RFC assigns. */
    public static Optional<CertificateUsage> fromCode(int code) {
        for (CertificateUsage usage : values()) {
            if (usage.code == code) {
                return Optional.of(usage);
            }
        }
        return Optional.empty();
    }

    /** The RFC 7218 form, e.g. {@code DANE-TA(2)}. */
    @Override
    public String toString() {
        return mnemonic + "(" + code + ")";
    }

    /** {@code DANE-TA(2)} for a known code, {@code usage 7} for an unknown one. */
    static String describe(int code) {
        return fromCode(code).map(CertificateUsage::toString).orElse("usage " + code);
    }
}
