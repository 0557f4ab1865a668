package dev.mta.security.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustAnchorsTest {
    /** The file the relay ships, from the module directory Maven runs the tests in. */
    private static final Path SHIPPED = Path.of("..", "conf", "trust-anchors.txt");

    @TempDir
    Path dir;

    @Test
    void shippedFileHoldsTheTwoIanaRootKeySigningKeys() {
        TrustAnchors anchors = TrustAnchors.read(SHIPPED);

        assertThat(anchors.describe()).containsExactly(". DS 20326", ". DS 38696");
    }

    @Test
    void dnskeyRecordsAndCommentsAreAccepted() {
        TrustAnchors anchors = TrustAnchors.parse("""
                ; a lab root
                .  IN DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ== ; KSK
                """, "lab");

        assertThat(anchors.size()).isEqualTo(1);
        assertThat(anchors.describe()).singleElement().asString().startsWith(". DNSKEY ");
    }

    @Test
    void missingFileIsRefusedNamingIt() {
        Path missing = dir.resolve("none.txt");

        assertThatThrownBy(() -> TrustAnchors.read(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("trust anchors file " + missing + ": cannot read it");
    }

    @Test
    void fileWithoutAnchorsIsRefused() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.txt"), "; nothing here\n");

        assertThatThrownBy(() -> TrustAnchors.read(empty)).hasMessageEndingWith("no DS or DNSKEY record in it");
    }

    @Test
    void recordsOtherThanDsOrDnskeyAreRefused() {
        assertThatThrownBy(() -> TrustAnchors.parse(". IN A 192.0.2.1\n", "odd"))
                .hasMessageContaining("only DS and DNSKEY records can be trust anchors, not A");
    }

    @Test
    void lineThatIsNoRecordIsRefusedWithItsLineNumber() {
        assertThatThrownBy(() -> TrustAnchors.parse("; ok\n. IN DS 20326 8 2 NOTHEX\n", "broken"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("trust anchors file broken: line 2: ");
    }
}
