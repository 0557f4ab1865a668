package dev.mta.queue.spool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.StoreException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.h2.message.DbException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageFailuresTest {
    @TempDir
    Path directory;

    @Test
    void writingToAFullDeviceIsAResourceShortage() throws IOException {
        IOException full = writeToDevFull();

        StoreException failure = StorageFailures.storeFailure("cannot write", full, DiskSpace.of(directory, 0));

        assertThat(failure.isResourceShortage()).isTrue();
        assertThat(failure).hasMessageContaining("No space left on device").hasCause(full);
    }

    @Test
    void aFullDeviceIsRecognisedInsideH2sExceptions() throws IOException {
        java.sql.SQLException h2 = DbException.convertIOException(writeToDevFull(), "queue.mv.db").getSQLException();

        assertThat(StorageFailures.isOutOfSpace(h2)).isTrue();
    }

    @Test
    void otherFailuresAreNoShortageWhileSpaceIsAboveTheMinimum() throws IOException {
        StoreException failure = StorageFailures.storeFailure("cannot write", new IOException("File too large"),
                DiskSpace.of(directory, 0));

        assertThat(failure.isResourceShortage()).isFalse();
    }

    @Test
    void anyFailureIsAShortageWhileSpaceIsBelowTheMinimum() throws IOException {
        StoreException failure = StorageFailures.storeFailure("cannot write", new IOException("Input/output error"),
                DiskSpace.of(directory, Long.MAX_VALUE));

        assertThat(failure.isResourceShortage()).isTrue();
    }

    private static IOException writeToDevFull() {
        try (FileOutputStream full = new FileOutputStream("/dev/full")) {
            full.write(new byte[1]);
            full.flush();
        } catch (IOException e) {
            return e;
        }
        throw new AssertionError("/dev/full accepted a write");
    }
}
