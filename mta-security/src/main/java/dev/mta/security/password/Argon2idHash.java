package dev.mta.security.password;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * An Argon2id hash in the PHC string format of the reference implementation:
 * {@code $argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>}, salt and hash in standard base64
 * without padding.
 */
final class Argon2idHash implements StoredHash {
    private static final int VERSION = Argon2Parameters.ARGON2_VERSION_13;
    // Parameters in the fixed order m, t, p the reference implementation writes and requires.
    private static final Pattern FORM = Pattern.compile(
            "\\$argon2id\\$v=(\\d{1,3})\\$m=(\\d{1,10}),t=(\\d{1,10}),p=(\\d{1,3})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    // The reference implementation's limits (argon2.h ARGON2_MIN_SALT_LENGTH, ARGON2_MIN_OUTLEN).
    private static final int MIN_SALT_BYTES = 8;
    private static final int MIN_HASH_BYTES = 4;
    private static final int MAX_HASH_BYTES = 1024;

    private final Argon2Cost cost;
    private final byte[] salt;
    private final byte[] hash;

    Argon2idHash(Argon2Cost cost, byte[] salt, byte[] hash) {
        this.cost = cost;
        this.salt = salt.clone();
        this.hash = hash.clone();
    }

    /** Hashes a password with a fresh salt. */
    static Argon2idHash compute(Argon2Cost cost, byte[] salt, byte[] password, int hashLength) {
        return new Argon2idHash(cost, salt, derive(cost, salt, password, hashLength));
    }

    static Argon2idHash parse(String encoded) throws MalformedHashException {
        Matcher matcher = FORM.matcher(encoded);
        if (!matcher.matches()) {
            throw new MalformedHashException("malformed argon2id hash (expected "
                    + "$argon2id$v=19$m=MEMORY,t=ITERATIONS,p=LANES$SALT$HASH)");
        }
        if (Integer.parseInt(matcher.group(1)) != VERSION) {
            throw new MalformedHashException("argon2id version " + matcher.group(1) + " is not supported (only 19)");
        }
        Argon2Cost cost;
        try {
            cost = new Argon2Cost(parseInt(matcher.group(2)), parseInt(matcher.group(3)), parseInt(matcher.group(4)));
        } catch (IllegalArgumentException e) {
            throw new MalformedHashException("argon2id parameters out of range: " + e.getMessage());
        }
        byte[] salt = decode(matcher.group(5), "salt");
        byte[] hash = decode(matcher.group(6), "hash");
        if (salt.length < MIN_SALT_BYTES) {
            throw new MalformedHashException("argon2id salt is shorter than " + MIN_SALT_BYTES + " bytes");
        }
        if (hash.length < MIN_HASH_BYTES || hash.length > MAX_HASH_BYTES) {
            throw new MalformedHashException("argon2id hash must be " + MIN_HASH_BYTES + " to " + MAX_HASH_BYTES
                    + " bytes long");
        }
        return new Argon2idHash(cost, salt, hash);
    }

    @Override
    public boolean matches(byte[] password) {
        byte[] candidate = derive(cost, salt, password, hash.length);
        try {
            return MessageDigest.isEqual(candidate, hash);
        } finally {
            Arrays.fill(candidate, (byte) 0);
        }
    }

    String encoded() {
        Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=" + VERSION + "$m=" + cost.memoryKiB() + ",t=" + cost.iterations()
                + ",p=" + cost.parallelism() + "$" + base64.encodeToString(salt) + "$" + base64.encodeToString(hash);
    }

    private static byte[] derive(Argon2Cost cost, byte[] salt, byte[] password, int hashLength) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(VERSION)
                .withMemoryAsKB(cost.memoryKiB())
                .withIterations(cost.iterations())
                .withParallelism(cost.parallelism())
                .withSalt(salt)
                .build());
        byte[] out = new byte[hashLength];
        generator.generateBytes(password, out);
        return out;
    }

    private static int parseInt(String digits) throws MalformedHashException {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new MalformedHashException("argon2id parameter " + digits + " is too large");
        }
    }

    private static byte[] decode(String base64, String what) throws MalformedHashException {
        // PHC strings leave the padding out; a length of 1 mod 4 cannot come from any bytes.
        if (base64.length() % 4 == 1) {
            throw new MalformedHashException("argon2id " + what + " is not valid base64");
        }
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new MalformedHashException("argon2id " + what + " is not valid base64");
        }
    }
}
