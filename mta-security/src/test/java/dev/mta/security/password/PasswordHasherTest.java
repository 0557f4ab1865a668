package dev.mta.security.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHasherTest {
    /** Small enough that a hash takes a millisecond or so. */
    private static final Argon2Cost CHEAP = new Argon2Cost(64, 1, 1);

    private final PasswordHasher hasher = new PasswordHasher(CHEAP);

    @Test
    void hashIsAnArgon2idPhcStringWithTheConfiguredCost() {
        String hash = hasher.hash("correct horse".toCharArray());

        // 16 bytes of salt and 32 of hash in unpadded base64: 22 and 43 characters.
        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=64,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    }

    @Test
    void defaultCostIsRfc9106sSecondRecommendation() {
        assertThat(Argon2Cost.DEFAULT).isEqualTo(new Argon2Cost(65536, 3, 1));
    }

    @Test
    void theSamePasswordHashesDifferentlyEachTime() {
        assertThat(hasher.hash("same".toCharArray())).isNotEqualTo(hasher.hash("same".toCharArray()));
    }

    @Test
    void verifyAcceptsTheHashedPasswordAndNothingElse() {
        String hash = hasher.hash("correct horse".toCharArray());

        assertThat(hasher.verify("correct horse".toCharArray(), hash)).isTrue();
        assertThat(hasher.verify("correct horsf".toCharArray(), hash)).isFalse();
        assertThat(hasher.verify("".toCharArray(), hash)).isFalse();
    }

    /** Vectors of the reference implementation, P-H-C/phc-winner-argon2 src/test.c. */
    @ParameterizedTest
    @ValueSource(strings = {
        "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
        "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
    })
    void verifyMatchesTheReferenceImplementationsVectors(String reference) {
        assertThat(hasher.verify("password".toCharArray(), reference)).isTrue();
        assertThat(hasher.verify("passwore".toCharArray(), reference)).isFalse();
    }

    @Test
    void verifyReadsTheCostFromTheStoredHashNotFromTheHasher() {
        String stored = new PasswordHasher(new Argon2Cost(128, 2, 2)).hash("pw".toCharArray());

        assertThat(hasher.verify("pw".toCharArray(), stored)).isTrue();
    }

    /** Vectors of Openwall's crypt_blowfish, the reference for $2a$/$2b$/$2y$. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "U*U|$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
        "U*U*|$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK",
        "U*U*U|$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a",
        "U*U|$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
        "U*U|$2y$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
    })
    void verifyAcceptsBcryptHashes(String password, String stored) {
        assertThat(hasher.verify(password.toCharArray(), stored)).isTrue();
        assertThat(hasher.verify((password + "x").toCharArray(), stored)).isFalse();
    }

    @Test
    void bcryptUsesOnlyTheFirst72BytesOfThePassword() {
        String stored = "$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui";
        String first72 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

        assertThat(hasher.verify((first72 + "chars after 72 are ignored").toCharArray(), stored)).isTrue();
        assertThat(hasher.verify(first72.toCharArray(), stored)).isTrue();
    }

    @Test
    void bcryptAcceptsTheEmptyPasswordItWasMadeFrom() {
        assertThat(hasher.verify(new char[0], "$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy")).isTrue();
    }

    @Test
    void passwordsAreHashedAsUtf8() {
        String stored = hasher.hash("pässwörd".toCharArray());
        String[] fields = stored.split("\\$");
        byte[] salt = Base64.getDecoder().decode(fields[4]);
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(64).withIterations(1).withParallelism(1).withSalt(salt).build());
        byte[] expected = new byte[32];
        generator.generateBytes("pässwörd".getBytes(StandardCharsets.UTF_8), expected);

        assertThat(Base64.getDecoder().decode(fields[5])).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "secret", "{SSHA}abc", "$1$salt$hash", "$6$salt$hash", "$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbHQ$x"})
    void unknownFormatsMatchNothing(String stored) {
        assertThat(hasher.verify("secret".toCharArray(), stored)).isFalse();
        assertThat(PasswordHasher.syntaxProblem(stored)).isPresent();
    }

    @Test
    void syntaxProblemIsEmptyForUsableHashes() {
        assertThat(PasswordHasher.syntaxProblem(hasher.hash("pw".toCharArray()))).isEmpty();
        assertThat(PasswordHasher.syntaxProblem("$2b$12$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "plaintext|unknown hash format",
        "$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbHQ$iekCn0Y3spW+sCcFanM2xBT63UP2sghkUoHLIUpWRS8|only the argon2id variant",
        "$argon2id$v=16$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4|version 16 is not supported",
        "$argon2id$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4|malformed argon2id hash",
        "$argon2id$v=19$t=2,m=256,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4|malformed argon2id hash",
        "$argon2id$v=19$m=4194304,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4|parameters out of range",
        "$argon2id$v=19$m=256,t=0,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4|parameters out of range",
        "$argon2id$v=19$m=256,t=2,p=1$c29tZQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4|salt is shorter than 8 bytes",
        "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65E|hash is not valid base64",
        "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf6|hash must be 4 to 1024 bytes",
        "$2a$03$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW|malformed bcrypt hash",
        "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOe|malformed bcrypt hash",
        "$2x$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW|unknown hash format",
    })
    void syntaxProblemSaysWhatIsWrong(String stored, String problem) {
        assertThat(PasswordHasher.syntaxProblem(stored)).hasValueSatisfying(p -> assertThat(p).contains(problem));
        assertThat(hasher.verify("password".toCharArray(), stored)).isFalse();
    }

    @Test
    void costOutsideTheArgon2LimitsIsRefused() {
        assertThatThrownBy(() -> new Argon2Cost(8, 1, 2)).hasMessageContaining("memory must be 16 to");
        assertThatThrownBy(() -> new Argon2Cost(64, 0, 1)).hasMessageContaining("iterations");
        assertThatThrownBy(() -> new Argon2Cost(64, 1, 0)).hasMessageContaining("parallelism");
    }
}
