package dev.mta.security.password;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Hashes passwords with Argon2id (RFC 9106) and checks them against stored hashes in the PHC
 * string format or bcrypt's. Passwords are taken as UTF-8, as SMTP AUTH carries them
 * (RFC 4616 2), with no Unicode normalisation, so a user types them the same way each time.
 */
public final class PasswordHasher {
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Argon2Cost cost;

    /** A hasher with {@link Argon2Cost#DEFAULT}. */
    public PasswordHasher() {
        this(Argon2Cost.DEFAULT);
    }

    public PasswordHasher(Argon2Cost cost) {
        this.cost = Objects.requireNonNull(cost, "cost");
    }

    /** An Argon2id PHC string for the password with a fresh 16-byte salt. */
    public String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] bytes = utf8(password);
        try {
            return Argon2idHash.compute(cost, salt, bytes, HASH_BYTES).encoded();
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * Whether the password matches the stored hash (Argon2id with the cost written in it, or
     * bcrypt {@code $2a$}, {@code $2b$}, {@code $2y$}). A hash in any other form, or malformed,
     * matches nothing; {@link #syntaxProblem} says what is wrong with it.
     */
    public boolean verify(char[] password, String storedHash) {
        StoredHash stored;
        try {
            stored = StoredHash.parse(storedHash);
        } catch (MalformedHashException e) {
            return false;
        }
        byte[] bytes = utf8(password);
        try {
            return stored.matches(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * What makes a stored hash unusable, or empty when {@link #verify} can check passwords
     * against it. Only the syntax and the parameter ranges are checked; nothing is computed.
     */
    public static Optional<String> syntaxProblem(String storedHash) {
        try {
            StoredHash.parse(storedHash);
            return Optional.empty();
        } catch (MalformedHashException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static byte[] utf8(char[] password) {
        try {
            // A lone surrogate has no UTF-8 form; replacing it keeps such passwords usable.
            ByteBuffer buffer = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .encode(CharBuffer.wrap(password));
            byte[] bytes = Arrays.copyOfRange(buffer.array(), buffer.position(), buffer.limit());
            Arrays.fill(buffer.array(), (byte) 0);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("UTF-8 encoding with replacement cannot fail", e);
        }
    }
}
