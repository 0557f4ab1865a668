package dev.mta.queue.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyTest {
    @TempDir
    Path temporary;

    @Test
    void anExistingDirectoryWithWiderPermissionsIsTightened() throws IOException {
        Path directory = Files.createDirectory(temporary.resolve("queue"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));

        OwnerOnly.directory(directory);

        assertThat(Files.getPosixFilePermissions(directory)).isEqualTo(OwnerOnly.DIRECTORY);
    }

    @Test
    void anAtomicWriteReplacesTheFileWithAnOwnerOnlyOneAndLeavesNoTemporary() throws IOException {
        Path target = temporary.resolve("secret");
        Files.writeString(target, "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));

        OwnerOnly.writeAtomically(target, "new".getBytes());

        assertThat(target).hasContent("new");
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(OwnerOnly.FILE);
        try (var files = Files.list(temporary)) {
            assertThat(files).containsExactly(target);
        }
    }
}
