package dev.mta.security.password;

/** A parsed stored hash that can check a password. */
sealed interface StoredHash permits Argon2idHash, BcryptHash {

    /** Whether the password (UTF-8 encoded) produces this hash; compares in constant time. */
    boolean matches(byte[] password);

    static StoredHash parse(String encoded) throws MalformedHashException {
        if (encoded.startsWith("$argon2id$")) {
            return Argon2idHash.parse(encoded);
        }
        if (encoded.startsWith("$2a$") || encoded.startsWith("$2b$") || encoded.startsWith("$2y$")) {
            return BcryptHash.parse(encoded);
        }
        if (encoded.startsWith("$argon2i$") || encoded.startsWith("$argon2d$")) {
            throw new MalformedHashException("only the argon2id variant of Argon2 is accepted");
        }
        throw new MalformedHashException("unknown hash format (expected $argon2id$... or bcrypt $2a$/$2b$/$2y$...)");
    }
}
