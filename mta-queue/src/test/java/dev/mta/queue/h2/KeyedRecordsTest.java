package dev.mta.queue.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.queue.KeyedRecord;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small records beside the queue (MTA-STS policies, TLS-RPT counts) survive a restart. */
class KeyedRecordsTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @TempDir
    Path data;

    @Test
    void aSavedRecordIsThereAfterTheStoreIsReopenedAndCanBeReplacedAndRemoved() throws Exception {
        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            store.records().save(new KeyedRecord("mta-sts", "example.org", "version: STSv1\nmode: enforce\n", NOW));
            store.records().save(new KeyedRecord("mta-sts", "example.net", "version: STSv1\nmode: testing\n", NOW));
            store.records().save(new KeyedRecord("tlsrpt", "example.org", "{}", NOW));
        }
        try (H2MessageStore store = H2MessageStore.open(Queueing.settings(data))) {
            assertThat(store.records().load("mta-sts", "example.org")).hasValueSatisfying(r -> {
                assertThat(r.value()).contains("mode: enforce");
                assertThat(r.updated()).isEqualTo(NOW);
            });
            assertThat(store.records().all("mta-sts")).extracting(KeyedRecord::key).containsExactly("example.net", "example.org");
            store.records().save(new KeyedRecord("mta-sts", "example.org", "version: STSv1\nmode: none\n", NOW.plusSeconds(60)));
            assertThat(store.records().load("mta-sts", "example.org").orElseThrow().value()).contains("mode: none");
            store.records().remove("mta-sts", "example.org");
            assertThat(store.records().load("mta-sts", "example.org")).isEmpty();
            assertThat(store.records().load("tlsrpt", "example.org")).isPresent();
            assertThat(store.list()).as("records are not messages").isEmpty();
        }
    }

    @Test
    void aRecordNeedsAKindAndAKeyOfSaneLength() {
        assertThatThrownBy(() -> new KeyedRecord("", "k", "v", NOW)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KeyedRecord("k", "x".repeat(256), "v", NOW)).isInstanceOf(IllegalArgumentException.class);
    }
}
