package dev.mta.queue.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mta.queue.MessageSummary;
import dev.mta.queue.NoticeKind;
import dev.mta.queue.PendingNotice;
import dev.mta.queue.QueueId;
import dev.mta.queue.h2.child.CommitThenHalt;
import dev.mta.queue.h2.child.PlainH2CommitThenHalt;
import dev.mta.queue.h2.child.SettleThenHalt;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit that returned must survive the process dying at once. A halt loses what the process
 * had not yet written; the sync itself is shown by {@link SyncSyscallTest}.
 */
class DurabilityTest {
    @TempDir
    Path data;

    /**
     * A bounce whose failure notice is owed keeps its message and body across a crash; a notice
     * reported sent stays reported, and its message is gone.
     */
    @Test
    void aPendingNoticeAndAReportThatReturnedSurviveAHaltWithoutClose() throws Exception {
        ChildJvm.Result child = new ChildJvm().run(SettleThenHalt.class, data);

        assertThat(child.exitCode()).as(child.output()).isZero();
        QueueId kept = new QueueId(child.tagged("kept ").getFirst());
        QueueId reported = new QueueId(child.tagged("reported ").getFirst());
        try (H2MessageStore reopened = H2MessageStore.open(H2StoreSettings.defaults(data))) {
            assertThat(reopened.pendingNotices(Instant.now(), Duration.ofDays(1), 10)).singleElement()
                    .satisfies(message -> {
                        assertThat(message.message()).isEqualTo(kept);
                        assertThat(message.recipients()).extracting(PendingNotice::kind).containsExactly(NoticeKind.FAILURE);
                    });
            assertThat(reopened.openBody(kept)).hasContent("Subject: to kept@example.net\r\n\r\nbody\r\n");
            assertThat(reopened.find(reported)).isEmpty();
            assertThat(data.resolve("queue/bodies").resolve(reported.value())).doesNotExist();
        }
    }

    @Test
    void everyCommitThatReturnedSurvivesAHaltWithoutClose() throws Exception {
        ChildJvm.Result child = new ChildJvm().run(CommitThenHalt.class, data, 25);

        assertThat(child.exitCode()).as(child.output()).isZero();
        List<QueueId> committed = child.tagged("committed ").stream().map(QueueId::new).toList();
        assertThat(committed).hasSize(25);
        try (H2MessageStore reopened = H2MessageStore.open(H2StoreSettings.defaults(data))) {
            assertThat(reopened.list()).extracting(MessageSummary::id).containsExactlyInAnyOrderElementsOf(committed);
            for (QueueId id : committed) {
                try (InputStream body = reopened.openBody(id)) {
                    assertThat(new String(body.readAllBytes(), StandardCharsets.US_ASCII)).startsWith("Subject: ");
                }
            }
        }
    }

    @Test
    void theStoreRunsH2WithoutAWriteDelay() throws Exception {
        try (H2MessageStore store = H2MessageStore.open(H2StoreSettings.defaults(data))) {
            assertThat(DirectConnection.setting(store.queueDirectory().getParent(), "WRITE_DELAY")).isEqualTo("0");
        }
    }

    /**
     * The contrast: plain H2 with default settings returns from commit before anything is
     * written (WRITE_DELAY 500 ms), so a halt right after the commits loses them. The child
     * reports how long the commits took; only if that exceeds the write delay (a machine too
     * slow to show it) is the test skipped.
     */
    @Test
    void plainH2WithItsDefaultWriteDelayLosesCommitsThatReturned() throws Exception {
        Path database = data.resolve("plain");

        ChildJvm.Result child = new ChildJvm().run(PlainH2CommitThenHalt.class, database, 50);

        assertThat(child.exitCode()).as(child.output()).isZero();
        long elapsedMillis = Long.parseLong(child.tagged("elapsed-ms ").getFirst());
        assumeTrue(elapsedMillis < 400, "the child needed " + elapsedMillis + " ms, not within H2's 500 ms write delay");
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + database, "sa", "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM committed")) {
            rows.next();
            assertThat(rows.getInt(1)).as("rows left of the 50 committed").isZero();
        }
    }
}
