package dev.mta.queue.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.queue.StoreException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpaceTest {
    @TempDir
    Path directory;

    @Test
    void belowTheMinimumWorkIsRefusedAsAResourceShortage() throws Exception {
        DiskSpace space = DiskSpace.of(directory, Long.MAX_VALUE);

        assertThat(space.isBelowMinimum()).isTrue();
        assertThatThrownBy(() -> space.requireMinimumFree("accept a message"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("refusing to accept a message")
                .matches(e -> ((StoreException) e).isResourceShortage(), "is a resource shortage");
    }

    @Test
    void aboveTheMinimumNothingIsRefused() throws Exception {
        DiskSpace space = DiskSpace.of(directory, 0);

        assertThat(space.isBelowMinimum()).isFalse();
        space.requireMinimumFree("accept a message");
        assertThat(space.usableBytes()).isPositive();
    }
}
