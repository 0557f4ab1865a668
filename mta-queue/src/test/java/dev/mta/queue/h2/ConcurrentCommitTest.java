package dev.mta.queue.h2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.MessageSummary;
import dev.mta.queue.QueueId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrentCommitTest {
    private static final int COMMITTERS = 16;
    private static final int MESSAGES_EACH = 10;

    @TempDir
    Path data;

    @Test
    void sixteenConcurrentCommittersShareSyncPassesAndLoseNothing() throws Exception {
        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data).withConnections(COMMITTERS))) {
            long passesBefore = store.syncCount();
            long requestsBefore = store.syncRequests();
            List<Future<List<QueueId>>> committers = new ArrayList<>();
            try (ExecutorService threads = Executors.newFixedThreadPool(COMMITTERS)) {
                for (int c = 0; c < COMMITTERS; c++) {
                    int committer = c;
                    committers.add(threads.submit(() -> {
                        List<QueueId> ids = new ArrayList<>();
                        for (int m = 0; m < MESSAGES_EACH; m++) {
                            ids.add(Queueing.queue(store, Envelopes.to("r" + committer + "-" + m + "@example.net"),
                                    Queueing.body(m)));
                        }
                        return ids;
                    }));
                }
            }
            List<QueueId> committed = new ArrayList<>();
            for (Future<List<QueueId>> committer : committers) {
                committed.addAll(committer.get());
            }

            long commits = store.syncRequests() - requestsBefore;
            long passes = store.syncCount() - passesBefore;
            assertThat(commits).isEqualTo(COMMITTERS * MESSAGES_EACH);
            assertThat(passes).as("sync passes for %d commits", commits).isLessThan(commits);
            assertThat(store.list()).extracting(MessageSummary::id).containsExactlyInAnyOrderElementsOf(committed);
        }
    }
}
