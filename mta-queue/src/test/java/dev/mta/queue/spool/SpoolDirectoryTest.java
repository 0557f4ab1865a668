package dev.mta.queue.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.queue.QueueId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolDirectoryTest {
    @TempDir
    Path queue;
    SpoolDirectory spool;
    QueueId id = QueueId.random();

    @BeforeEach
    void open() throws IOException {
        spool = SpoolDirectory.open(queue);
    }

    @Test
    void aNewBodyIsAnOwnerOnlyFileInIncoming() throws IOException {
        SpoolFile file = spool.create(id);

        assertThat(file.path()).isEqualTo(queue.resolve("incoming").resolve(id.value()));
        assertThat(Files.getPosixFilePermissions(file.path())).isEqualTo(OwnerOnly.FILE);
        file.discard();
    }

    @Test
    void anIdAlreadyInUseCannotBeCreatedAgain() throws IOException {
        SpoolFile file = spool.create(id);

        assertThat(spool.isTaken(id)).isTrue();
        assertThatThrownBy(() -> spool.create(id)).isInstanceOf(FileAlreadyExistsException.class);
        file.discard();
    }

    @Test
    void bytesStayInTheBufferUntilFlushedAndReachTheFileWhenForced() throws IOException {
        SpoolFile file = spool.create(id);
        file.body().write(new byte[] {1, 2, 3});
        assertThat(Files.size(file.path())).as("still buffered").isZero();

        file.forceToDisk(new byte[0]);

        assertThat(Files.readAllBytes(file.path())).containsExactly(1, 2, 3);
        assertThat(file.size()).isEqualTo(3);
    }

    @Test
    void bodiesLargerThanTheBufferArriveWhole() throws IOException {
        byte[] body = new byte[SpoolFile.BUFFER_SIZE * 3 + 17];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        SpoolFile file = spool.create(id);
        OutputStream out = file.body();
        out.write(body, 0, 10);
        out.write(body[10]);
        out.write(body, 11, body.length - 11);

        file.forceToDisk(new byte[0]);
        spool.promote(id);

        try (InputStream in = spool.openBody(id)) {
            assertThat(in.readAllBytes()).isEqualTo(body);
        }
        assertThat(file.size()).isEqualTo(body.length);
    }

    @Test
    void promotingMovesTheBodyFromIncomingToBodies() throws IOException {
        SpoolFile file = spool.create(id);
        file.body().write('x');
        file.forceToDisk(new byte[0]);

        spool.promote(id);

        assertThat(spool.incomingFiles()).isEmpty();
        assertThat(spool.bodyFiles()).containsExactly(spool.bodyPath(id));
        assertThat(spool.hasBodies()).isTrue();
    }

    @Test
    void discardingDeletesTheFileAndFurtherWritesFail() throws IOException {
        SpoolFile file = spool.create(id);
        file.body().write('x');

        file.discard();

        assertThat(file.path()).doesNotExist();
        assertThatThrownBy(() -> file.body().write('y')).isInstanceOf(IOException.class);
    }

    @Test
    void spoolDirectoriesAreOwnerOnly() throws IOException {
        assertThat(Files.getPosixFilePermissions(spool.incomingDirectory())).isEqualTo(OwnerOnly.DIRECTORY);
        assertThat(Files.getPosixFilePermissions(spool.bodiesDirectory())).isEqualTo(OwnerOnly.DIRECTORY);
    }
}
