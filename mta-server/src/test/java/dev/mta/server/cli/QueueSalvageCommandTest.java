package dev.mta.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.MessageSummary;
import dev.mta.server.TestRelay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged queue database: the relay refuses to start and names the way out, {@code mta queue
 * salvage} sets the damage aside and keeps every body, and the relay starts again.
 */
class QueueSalvageCommandTest {
    @TempDir
    Path dir;

    @Test
    void aDamagedQueueStopsTheStartSalvageKeepsTheMailAsideAndTheRelayStartsAgain() throws Exception {
        TestRelay.Builder builder = TestRelay.in(dir);
        try (TestRelay relay = builder.start()) {
            relay.submit("bob@example.net", "From: alice@example.com\r\nSubject: first\r\n\r\nx\r\n");
            relay.submit("carol@example.net", "From: alice@example.com\r\nSubject: second\r\n\r\nx\r\n");
        }
        Path database = dir.resolve("data/queue/queue.mv.db");
        byte[] garbage = new byte[(int) Files.size(database)];
        Arrays.fill(garbage, (byte) 'x');
        Files.write(database, garbage);

        CliRun serve = CliRun.mta(builder.overrides(), "serve");
        assertThat(serve.code()).isEqualTo(69);
        assertThat(serve.err()).contains("cannot open the queue database " + database)
                .contains("Nothing was changed or deleted").contains("mta queue salvage");

        CliRun salvage = CliRun.mta(builder.overrides(), "queue", "salvage");

        assertThat(salvage.code()).as(salvage.err()).isEqualTo(65);
        assertThat(salvage.out()).contains("tables recovered: no, the queue starts empty")
                .contains("messages in the queue now: 2")
                .contains("of them put back from the envelope kept in their spool file: 2");
        try (TestRelay relay = builder.start()) {
            assertThat(relay.queued()).extracting(m -> m.recipients().getFirst().address())
                    .containsExactlyInAnyOrder("bob@example.net", "carol@example.net");
            relay.submit("dave@example.net", "Subject: after\r\n\r\nx\r\n");
            assertThat(relay.queued()).hasSize(3);
        }
        try (var damaged = Files.list(dir.resolve("data/queue")).filter(p -> p.getFileName().toString().startsWith("damaged-"))) {
            Path aside = damaged.findFirst().orElseThrow();
            assertThat(aside.resolve("queue.mv.db")).hasBinaryContent(garbage);
        }
    }

    @Test
    void salvageRefusesWhileTheRelayRuns() throws Exception {
        TestRelay.Builder builder = TestRelay.in(dir);
        try (TestRelay relay = builder.start()) {
            relay.submit("bob@example.net", "Subject: kept\r\n\r\nx\r\n");

            CliRun salvage = CliRun.mta(builder.overrides(), "queue", "salvage");

            assertThat(salvage.code()).isEqualTo(75);
            assertThat(salvage.err()).contains("stop the relay");
            assertThat(relay.queued()).hasSize(1);
            assertThat(List.of(dir.resolve("data/queue").toFile().list())).noneMatch(name -> name.startsWith("damaged-"));
        }
    }
}
