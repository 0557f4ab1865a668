package dev.mta.queue.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mta.queue.IncomingMessage;
import dev.mta.queue.MessageSummary;
import dev.mta.queue.QueueId;
import dev.mta.queue.StoreException;
import dev.mta.queue.h2.child.CommitUnderFileSizeLimit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Full disks and failing writes: the new message is refused with 4xx, queued mail stays intact. */
class StorageFailureTest {
    private static final long GIB = 1024L * 1024 * 1024;

    @TempDir
    Path data;

    @Test
    void belowTheMinimumFreeSpaceNewMailIsRefusedAsAShortageAndQueuedMailStays() throws Exception {
        List<QueueId> queued = queueTwo();

        try (H2MessageStore full = H2MessageStore.open(Queueing.settings(data).withMinFreeBytes(Long.MAX_VALUE))) {
            assertThatThrownBy(full::receive)
                    .isInstanceOf(StoreException.class)
                    .matches(e -> ((StoreException) e).isResourceShortage(), "is a resource shortage")
                    .hasMessageContaining("below the minimum");
            assertThat(full.list()).extracting(MessageSummary::id).containsExactlyInAnyOrderElementsOf(queued);
            assertThat(full.openBody(queued.getFirst())).hasContent(Queueing.body(0));
        }
        try (H2MessageStore roomy = H2MessageStore.open(Queueing.settings(data))) {
            QueueId later = Queueing.queue(roomy, Envelopes.to("later@example.net"), Queueing.body(9));
            assertThat(roomy.list()).extracting(MessageSummary::id).containsExactlyInAnyOrder(queued.get(0), queued.get(1), later);
        }
    }

    /**
     * The disk really fills (fallocate reserves 2 GiB) between receive and commit: the commit is
     * refused as a shortage and leaves nothing behind; once the space is back, mail flows again.
     */
    @Test
    void aDiskThatFillsDuringReceiptFailsTheCommitAndKeepsEarlierMail() throws Exception {
        Path fallocate = Path.of("/usr/bin/fallocate");
        assumeTrue(Files.isExecutable(fallocate), "fallocate (util-linux) is not installed");
        long usable = Files.getFileStore(data).getUsableSpace();
        assumeTrue(usable > 4 * GIB, "needs 4 GiB free to fill 2 GiB of them");
        List<QueueId> queued = queueTwo();
        Path filler = data.resolve("filler");

        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data).withMinFreeBytes(usable - GIB))) {
            QueueId refused;
            try (IncomingMessage message = store.receive()) {
                refused = message.id();
                message.body().write("Subject: arriving while the disk fills\r\n".getBytes(StandardCharsets.US_ASCII));
                run(fallocate.toString(), "-l", Long.toString(2 * GIB), filler.toString());

                assertThatThrownBy(() -> message.commit(Envelopes.to("bob@example.net")))
                        .isInstanceOf(StoreException.class)
                        .matches(e -> ((StoreException) e).isResourceShortage(), "is a resource shortage");
            }
            assertThat(store.find(refused)).isEmpty();
            assertThat(data.resolve("queue/bodies").resolve(refused.value())).doesNotExist();
            assertThat(data.resolve("queue/incoming")).isEmptyDirectory();
            assertThat(store.list()).extracting(MessageSummary::id).containsExactlyInAnyOrderElementsOf(queued);

            Files.delete(filler);
            QueueId later = Queueing.queue(store, Envelopes.to("later@example.net"), Queueing.body(9));
            assertThat(store.list()).extracting(MessageSummary::id).contains(later);
        } finally {
            Files.deleteIfExists(filler);
        }
    }

    /**
     * A body write that really fails: the child runs under a file size limit (ulimit -f), so the
     * large body gets EFBIG. That message is refused (not as a shortage: the disk is not full),
     * the one before it stays queued, and the one after it is accepted.
     */
    @Test
    void aFailingBodyWriteRefusesOnlyThatMessage() throws Exception {
        ChildJvm.Result child = new ChildJvm()
                .under("/bin/sh", "-c", "ulimit -f 8192 && exec \"$@\"", "sh")
                .run(CommitUnderFileSizeLimit.class, data, 16);

        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.tagged("committed ")).as(child.output()).hasSize(2);
        assertThat(child.tagged("refused ")).singleElement().asString()
                .startsWith("shortage=false")
                .contains("File too large");
        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            assertThat(store.list()).extracting(summary -> summary.id().value())
                    .containsExactlyInAnyOrderElementsOf(child.tagged("committed "));
            assertThat(data.resolve("queue/incoming")).isEmptyDirectory();
            try (var bodies = Files.list(data.resolve("queue/bodies"))) {
                assertThat(bodies.count()).isEqualTo(2);
            }
        }
    }

    private List<QueueId> queueTwo() throws StoreException {
        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            List<QueueId> ids = new ArrayList<>();
            ids.add(Queueing.queue(store, Envelopes.to("first@example.net"), Queueing.body(0)));
            ids.add(Queueing.queue(store, Envelopes.to("second@example.net"), Queueing.body(1)));
            return ids;
        }
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
    }
}
