package dev.mta.security.policy;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A pinned certificate or public-key digest (Postfix's smtp_tls_fingerprint_cert_match), written
 * {@code sha256:1A:2B:...} (colons optional). It matches a certificate whose DER encoding, or
 * whose SubjectPublicKeyInfo, has this digest.
 */
public record Fingerprint(String algorithm, byte[] digest) {

    public Fingerprint {
        Objects.requireNonNull(algorithm, "algorithm");
        digest = digest.clone();
    }

    public static Fingerprint parse(String text) {
        String value = text.strip();
        int colon = value.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + text + "': expected sha256:HEX or sha512:HEX");
        }
        String algorithm = switch (value.substring(0, colon).toLowerCase(Locale.ROOT)) {
            case "sha256" -> "SHA-256";
            case "sha512" -> "SHA-512";
            default -> throw new IllegalArgumentException("'" + text + "': the digest must be sha256 or sha512");
        };
        String hex = value.substring(colon + 1).replace(":", "");
        byte[] digest;
        try {
            digest = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': not hexadecimal");
        }
        int expected = algorithm.equals("SHA-256") ? 32 : 64;
        if (digest.length != expected) {
            throw new IllegalArgumentException("'" + text + "': a " + algorithm + " digest has " + expected + " bytes, this has " + digest.length);
        }
        return new Fingerprint(algorithm, digest);
    }

    public boolean matches(X509Certificate certificate) {
        try {
            MessageDigest certificateDigest = MessageDigest.getInstance(algorithm);
            MessageDigest keyDigest = MessageDigest.getInstance(algorithm);
            return MessageDigest.isEqual(digest, certificateDigest.digest(certificate.getEncoded()))
                    || MessageDigest.isEqual(digest, keyDigest.digest(certificate.getPublicKey().getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            return false;
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Fingerprint that && algorithm.equals(that.algorithm) && MessageDigest.isEqual(digest, that.digest);
    }

    @Override
    public int hashCode() {
        return algorithm.hashCode() * 31 + java.util.Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return (algorithm.equals("SHA-256") ? "sha256:" : "sha512:") + HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }
}
