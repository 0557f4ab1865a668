package dev.mta.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BearerTokenTest {
    @TempDir
    Path dir;

    @Test
    void acceptsOnlyTheExactTokenAfterTheBearerScheme() {
        BearerToken token = BearerToken.of("abc.DEF_123~+/==");
        assertThat(token.acceptsAuthorization("Bearer abc.DEF_123~+/==")).isTrue();
        assertThat(token.acceptsAuthorization("BEARER abc.DEF_123~+/==")).isTrue();
        assertThat(token.acceptsAuthorization("Bearer abc.DEF_123~+/")).isFalse();
        assertThat(token.acceptsAuthorization("Bearer abc.def_123~+/==")).isFalse();
        assertThat(token.acceptsAuthorization("Bearer abc.DEF_123~+/==x")).isFalse();
        assertThat(token.acceptsAuthorization("Bearerabc.DEF_123~+/==")).isFalse();
        assertThat(token.acceptsAuthorization("Basic abc.DEF_123~+/==")).isFalse();
        assertThat(token.acceptsAuthorization("abc.DEF_123~+/==")).isFalse();
        assertThat(token.acceptsAuthorization("")).isFalse();
        assertThat(token.acceptsAuthorization(null)).isFalse();
    }

    @Test
    void loadsTheFileWithoutItsTrailingNewline() throws IOException {
        Path file = Files.writeString(dir.resolve("admin.token"), "  t0ken-from-file\n");
        BearerToken token = BearerToken.load(file);
        assertThat(token.acceptsAuthorization("Bearer t0ken-from-file")).isTrue();
        assertThat(token.toString()).doesNotContain("t0ken");
    }

    @Test
    void refusesAnEmptyFileAndATokenThatIsNotOneWord() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.token"), "\n");
        assertThatThrownBy(() -> BearerToken.load(empty)).isInstanceOf(IOException.class).hasMessageContaining("is empty");
        Path spaced = Files.writeString(dir.resolve("spaced.token"), "two words\n");
        assertThatThrownBy(() -> BearerToken.load(spaced)).isInstanceOf(IOException.class)
                .hasMessageContaining("RFC 6750 2.1");
        assertThatThrownBy(() -> BearerToken.load(dir.resolve("missing"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> BearerToken.of("caf\u00e9")).isInstanceOf(IllegalArgumentException.class);
    }
}
