package dev.mta.queue.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpaceReserveTest {
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path queue;

    @Test
    void isWrittenOnlyWhenTheMinimumFreeSpaceStaysBesideIt() throws Exception {
        SpaceReserve reserve = SpaceReserve.open(queue, 3 * MIB + 5);

        reserve.restoreIfRoom(10 * MIB, 7 * MIB);
        assertThat(reserve.isHeld()).isFalse();
        assertThat(queue.resolve("space.reserve")).doesNotExist();

        reserve.restoreIfRoom(10 * MIB + 5, 7 * MIB);
        assertThat(reserve.isHeld()).isTrue();
        assertThat(queue.resolve("space.reserve")).hasSize(3 * MIB + 5);
        assertThat(queue.resolve("space.reserve.new")).doesNotExist();
    }

    @Test
    void releaseFreesTheBlocksOnceAndSaysSo() throws Exception {
        SpaceReserve reserve = SpaceReserve.open(queue, MIB);
        reserve.restoreIfRoom(Long.MAX_VALUE, 0);

        assertThat(reserve.release("test")).isTrue();
        assertThat(reserve.release("test")).as("nothing more to free").isFalse();
        assertThat(queue.resolve("space.reserve")).doesNotExist();
    }

    @Test
    void aReserveFromTheLastRunIsKeptAndOneOfAnotherSizeIsReplaced() throws Exception {
        SpaceReserve.open(queue, MIB).restoreIfRoom(Long.MAX_VALUE, 0);
        assertThat(SpaceReserve.open(queue, MIB).isHeld()).isTrue();

        SpaceReserve resized = SpaceReserve.open(queue, 2 * MIB);
        assertThat(resized.isHeld()).isFalse();
        assertThat(queue.resolve("space.reserve")).doesNotExist();
        resized.restoreIfRoom(Long.MAX_VALUE, 0);
        assertThat(queue.resolve("space.reserve")).hasSize(2 * MIB);
    }

    @Test
    void noReserveWritesNothing() throws Exception {
        SpaceReserve none = SpaceReserve.open(queue, 0);
        none.restoreIfRoom(Long.MAX_VALUE, 0);
        assertThat(none.isHeld()).isFalse();
        try (var files = Files.list(queue)) {
            assertThat(files).isEmpty();
        }
    }
}
