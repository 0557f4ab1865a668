package dev.mta.queue.h2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.QueueId;
import dev.mta.queue.h2.child.LargeBodyWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LargeMessageTest {
    @TempDir
    Path data;

    /**
     * The heap is smaller than the message, so the body cannot have been held in memory on its
     * way to the spool file (a 256 MiB heap, as in production, would not prove that).
     */
    @Test
    void aFiftyMebibyteBodyPassesThroughAThirtyTwoMebibyteHeap() throws Exception {
        ChildJvm.Result child = new ChildJvm().option("-Xmx32m").run(LargeBodyWriter.class, data, 50);

        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(Long.parseLong(child.tagged("max-heap ").getFirst())).isLessThan(50L * 1024 * 1024);
        QueueId id = new QueueId(child.tagged("committed ").getFirst());
        assertThat(dev.mta.queue.spool.EnvelopeTrailer.read(data.resolve("queue/bodies").resolve(id.value())).bodyLength())
                .isEqualTo(50L * 1024 * 1024);
        try (H2MessageStore store = H2MessageStore.open(H2StoreSettings.defaults(data))) {
            assertThat(store.find(id).orElseThrow().size()).isEqualTo(50L * 1024 * 1024);
        }
    }
}
