package dev.mta.security.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/**
 * Whether a private key belongs to a public key, found by signing a challenge and verifying
 * it: one test for every key type, without comparing key internals type by type.
 */
final class KeyPairCheck {
    private static final byte[] CHALLENGE = "mta key pair check".getBytes(StandardCharsets.US_ASCII);

    private KeyPairCheck() {
    }

    /** Whether the relay can serve TLS with a key of this type (and so check it). */
    static boolean supports(PrivateKey privateKey) {
        return signatureAlgorithm(privateKey) != null;
    }

    /** False also for key types {@link #supports} refuses. */
    static boolean belongTogether(PrivateKey privateKey, PublicKey publicKey) {
        String algorithm = signatureAlgorithm(privateKey);
        if (algorithm == null) {
            return false;
        }
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(CHALLENGE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(CHALLENGE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String signatureAlgorithm(PrivateKey privateKey) {
        return switch (privateKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> privateKey.getAlgorithm();
            default -> null;
        };
    }
}
