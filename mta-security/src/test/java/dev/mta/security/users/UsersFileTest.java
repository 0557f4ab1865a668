package dev.mta.security.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.mta.security.password.Argon2Cost;
import dev.mta.security.password.PasswordHasher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UsersFileTest {
    private static final PasswordHasher HASHER = new PasswordHasher(new Argon2Cost(64, 1, 1));
    private static final String ALICE_HASH = HASHER.hash("alice-secret".toCharArray());
    private static final String BOB_HASH = HASHER.hash("bob-secret".toCharArray());
    /** crypt_blowfish's vector for the password U*U. */
    private static final String BCRYPT_HASH = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";

    @TempDir
    Path directory;

    @Test
    void loadsUsersInFileOrderSkippingCommentsAndBlankLines() throws Exception {
        Path file = write("# submission users\n\nbob:" + BOB_HASH + "\n   # indented comment\nalice@example.org:"
                + ALICE_HASH + "\r\n");

        UsersFile users = UsersFile.load(file);

        assertThat(users.users()).containsExactly(
                entry("bob", BOB_HASH),
                entry("alice@example.org", ALICE_HASH));
        assertThatThrownBy(() -> users.users().put("eve", BOB_HASH)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void lineWithoutAColonIsReportedWithFileAndLine() {
        Path file = write("# users\nalice:" + ALICE_HASH + "\nbob " + BOB_HASH + "\n");

        assertThatThrownBy(() -> UsersFile.load(file))
                .isInstanceOf(UsersFileException.class)
                .hasMessage(file + ":3: expected name:hash")
                .satisfies(e -> {
                    UsersFileException failure = (UsersFileException) e;
                    assertThat(failure.file()).isEqualTo(file);
                    assertThat(failure.line()).isEqualTo(3);
                    assertThat(failure.reason()).isEqualTo("expected name:hash");
                });
    }

    @Test
    void invalidUserNameIsReported() {
        Path file = write("al ice:" + ALICE_HASH + "\n");

        assertThatThrownBy(() -> UsersFile.load(file))
                .isInstanceOf(UsersFileException.class)
                .hasMessage(file + ":1: user name 'al ice' may hold only ASCII letters, digits and . _ - @ +");
    }

    @Test
    void duplicateUserIsReportedWithTheFirstDefinition() {
        Path file = write("alice:" + ALICE_HASH + "\n\nalice:" + BOB_HASH + "\n");

        assertThatThrownBy(() -> UsersFile.load(file))
                .isInstanceOf(UsersFileException.class)
                .hasMessage(file + ":3: user 'alice' is already defined on line 1");
    }

    @Test
    void unknownHashFormatIsReported() {
        Path file = write("alice:" + ALICE_HASH + "\nbob:{SSHA}c2VjcmV0\n");

        assertThatThrownBy(() -> UsersFile.load(file))
                .isInstanceOf(UsersFileException.class)
                .hasMessageStartingWith(file + ":2: user 'bob': unknown hash format");
    }

    @Test
    void emptyHashIsReported() {
        Path file = write("alice:\n");

        assertThatThrownBy(() -> UsersFile.load(file))
                .isInstanceOf(UsersFileException.class)
                .hasMessageStartingWith(file + ":1: user 'alice': unknown hash format");
    }

    @Test
    void missingFileIsReportedWithoutALine() {
        Path file = directory.resolve("absent");

        assertThatThrownBy(() -> UsersFile.load(file))
                .isInstanceOf(UsersFileException.class)
                .hasMessage(file + ": users file does not exist")
                .satisfies(e -> assertThat(((UsersFileException) e).line()).isZero());
    }

    @Test
    void fileThatIsNotUtf8IsReported() throws Exception {
        Path file = directory.resolve("users");
        Files.write(file, new byte[] {'a', (byte) 0xff, ':', 'x', '\n'});

        assertThatThrownBy(() -> UsersFile.load(file))
                .isInstanceOf(UsersFileException.class)
                .hasMessage(file + ": users file is not UTF-8 text");
    }

    @Test
    void loadOrEmptyTreatsAMissingFileAsEmpty() throws Exception {
        assertThat(UsersFile.loadOrEmpty(directory.resolve("absent")).users()).isEmpty();
    }

    @Test
    void authenticateAcceptsTheRightPasswordOnly() throws Exception {
        UsersFile users = UsersFile.load(write("alice:" + ALICE_HASH + "\nbob:" + BOB_HASH + "\n"));

        assertThat(users.authenticate("alice", "alice-secret".toCharArray())).isTrue();
        assertThat(users.authenticate("alice", "bob-secret".toCharArray())).isFalse();
        assertThat(users.authenticate("Alice", "alice-secret".toCharArray())).isFalse();
    }

    @Test
    void authenticateRefusesAnUnknownUserEvenWithAnotherUsersPassword() throws Exception {
        UsersFile users = UsersFile.load(write("alice:" + ALICE_HASH + "\n"));

        assertThat(users.authenticate("mallory", "alice-secret".toCharArray())).isFalse();
        assertThat(UsersFile.empty().authenticate("mallory", "anything".toCharArray())).isFalse();
    }

    @Test
    void authenticateChecksBcryptUsers() throws Exception {
        UsersFile users = UsersFile.load(write("legacy:" + BCRYPT_HASH + "\n"));

        assertThat(users.authenticate("legacy", "U*U".toCharArray())).isTrue();
        assertThat(users.authenticate("legacy", "U*V".toCharArray())).isFalse();
    }

    @Test
    void withUserAppendsAndWriteKeepsCommentsAndOrder() throws Exception {
        Path file = write("# submission users\nbob:" + BOB_HASH + "\n\n# end\n");

        UsersFile.load(file).withUser("alice", ALICE_HASH).write(file);

        assertThat(Files.readString(file))
                .isEqualTo("# submission users\nbob:" + BOB_HASH + "\n\n# end\nalice:" + ALICE_HASH + "\n");
        assertThat(UsersFile.load(file).authenticate("alice", "alice-secret".toCharArray())).isTrue();
    }

    @Test
    void withUserReplacesAnExistingUsersHashInPlace() throws Exception {
        Path file = write("alice:" + ALICE_HASH + "\nbob:" + BOB_HASH + "\n");
        String newHash = HASHER.hash("new-secret".toCharArray());

        UsersFile changed = UsersFile.load(file).withUser("alice", newHash);
        changed.write(file);

        assertThat(Files.readString(file)).isEqualTo("alice:" + newHash + "\nbob:" + BOB_HASH + "\n");
        assertThat(changed.authenticate("alice", "alice-secret".toCharArray())).isFalse();
        assertThat(changed.authenticate("alice", "new-secret".toCharArray())).isTrue();
    }

    @Test
    void withUserLeavesTheOriginalUnchanged() {
        UsersFile original = UsersFile.empty();

        original.withUser("alice", ALICE_HASH);

        assertThat(original.users()).isEmpty();
    }

    @Test
    void withUserRefusesABadNameOrHash() {
        UsersFile users = UsersFile.empty();

        assertThatThrownBy(() -> users.withUser("bad:name", ALICE_HASH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("may hold only");
        assertThatThrownBy(() -> users.withUser("alice", "plaintext"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown hash format");
        assertThatThrownBy(() -> users.withUser("alice", ALICE_HASH + "\nmallory:" + BOB_HASH))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withoutUserRemovesItsLine() throws Exception {
        Path file = write("# users\nalice:" + ALICE_HASH + "\nbob:" + BOB_HASH + "\n");

        UsersFile.load(file).withoutUser("alice").write(file);

        assertThat(Files.readString(file)).isEqualTo("# users\nbob:" + BOB_HASH + "\n");
        assertThat(UsersFile.empty().withoutUser("nobody").users()).isEmpty();
    }

    @Test
    void writeCreatesAFileOnlyItsOwnerCanRead() throws Exception {
        Path file = directory.resolve("users");

        UsersFile.empty().withUser("alice", ALICE_HASH).write(file);

        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(UsersFile.load(file).users()).containsOnlyKeys("alice");
    }

    @Test
    void writeReplacesAWorldReadableFileWithAnOwnerOnlyOne() throws Exception {
        Path file = write("alice:" + ALICE_HASH + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        UsersFile.load(file).withUser("bob", BOB_HASH).write(file);

        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void writeLeavesNoTemporaryFileBehind() throws Exception {
        Path file = directory.resolve("users");

        UsersFile.empty().withUser("alice", ALICE_HASH).write(file);
        UsersFile.load(file).withUser("bob", BOB_HASH).write(file);

        try (var entries = Files.list(directory)) {
            assertThat(entries).containsExactly(file);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "alice@example.org", "a.b_c-d+e", "X9"})
    void acceptsNamesOfLettersDigitsAndDotUnderscoreDashAtPlus(String name) {
        assertThat(UsersFile.nameProblem(name)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "al ice", "alice:x", "ålice", "alice/..", "alice\t", "a*"})
    void refusesOtherNames(String name) {
        assertThat(UsersFile.nameProblem(name)).isPresent();
    }

    @Test
    void refusesNamesLongerThan254Characters() {
        assertThat(UsersFile.nameProblem("a".repeat(254))).isEmpty();
        assertThat(UsersFile.nameProblem("a".repeat(255))).contains("user name longer than 254 characters");
    }

    private Path write(String content) {
        try {
            return Files.writeString(directory.resolve("users"), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
