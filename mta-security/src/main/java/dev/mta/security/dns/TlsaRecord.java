package dev.mta.security.dns;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One TLSA record (RFC 6698 2.1), as published for an SMTP server at {@code _25._tcp.<host>}
 * (RFC 7672 2.2.1). Values outside the registries are kept: deciding which records are usable is
 * the DANE code's job (RFC 7672 3.1.3).
 *
 * @param usage        certificate usage, 0 to 255 (RFC 6698 2.1.1; 2 = DANE-TA, 3 = DANE-EE)
 * @param selector     0 = full certificate, 1 = SubjectPublicKeyInfo (RFC 6698 2.1.2)
 * @param matchingType 0 = exact, 1 = SHA-256, 2 = SHA-512 (RFC 6698 2.1.3)
 * @param data         the certificate association data; copied in and out
 */
public record TlsaRecord(int usage, int selector, int matchingType, byte[] data) {

    public TlsaRecord {
        requireOctet("usage", usage);
        requireOctet("selector", selector);
        requireOctet("matching type", matchingType);
        data = Objects.requireNonNull(data, "data").clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TlsaRecord that
                && usage == that.usage && selector == that.selector && matchingType == that.matchingType
                && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(usage, selector, matchingType) * 31 + Arrays.hashCode(data);
    }

    /** The presentation format of RFC 6698 2.2: {@code 3 1 1 0A1B...}. */
    @Override
    public String toString() {
        return usage + " " + selector + " " + matchingType + " " + HexFormat.of().withUpperCase().formatHex(data);
    }

    private static void requireOctet(String field, int value) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException("TLSA " + field + " out of range 0-255: " + value);
        }
    }
}
