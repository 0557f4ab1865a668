package dev.mta.security.password;

import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** A bcrypt hash in the OpenBSD form {@code $2b$10$<22 chars salt><31 chars hash>}. */
record BcryptHash(String encoded) implements StoredHash {
    // Cost 04 to 31; salt and hash in bcrypt's own base64 alphabet (./A-Za-z0-9).
    private static final Pattern FORM = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");

    static BcryptHash parse(String encoded) throws MalformedHashException {
        if (!FORM.matcher(encoded).matches()) {
            throw new MalformedHashException("malformed bcrypt hash (expected $2b$NN$ and 53 characters of "
                    + "salt and hash, cost 04 to 31)");
        }
        return new BcryptHash(encoded);
    }

    /**
     * Bouncy Castle recomputes the hash and compares the strings in constant time. Like every
     * bcrypt, it uses only the first 72 bytes of the password.
     */
    @Override
    public boolean matches(byte[] password) {
        return OpenBSDBCrypt.checkPassword(encoded, password);
    }
}
