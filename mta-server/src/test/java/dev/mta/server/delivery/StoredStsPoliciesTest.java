package dev.mta.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.KeyedRecord;
import dev.mta.queue.h2.H2MessageStore;
import dev.mta.queue.h2.H2StoreSettings;
import dev.mta.security.mtasts.StsMode;
import dev.mta.security.mtasts.StsPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 8461 5.1: cached MTA-STS policies survive a restart of the relay (they live in the queue database). */
class StoredStsPoliciesTest {
    private static final Instant FETCHED = Instant.parse("2026-11-23T12:00:00Z");

    @TempDir
    Path data;

    @Test
    void aCachedPolicyIsThereAfterARestartAndExpiresByItsMaxAge() throws Exception {
        StsPolicy policy = new StsPolicy(StsMode.ENFORCE, List.of("mx1.example.org", "*.example.org"),
                Duration.ofDays(1), "20261123T1200", FETCHED);
        try (H2MessageStore store = H2MessageStore.open(H2StoreSettings.defaults(data))) {
            new StoredStsPolicies(store.records()).save("example.org", policy);
        }
        try (H2MessageStore store = H2MessageStore.open(H2StoreSettings.defaults(data))) {
            StoredStsPolicies policies = new StoredStsPolicies(store.records());
            assertThat(policies.load("example.org")).contains(policy);
            assertThat(policies.domainsExpiringBefore(FETCHED.plus(Duration.ofHours(23)))).isEmpty();
            assertThat(policies.domainsExpiringBefore(FETCHED.plus(Duration.ofHours(25)))).containsExactly("example.org");
            policies.remove("example.org");
            assertThat(policies.load("example.org")).isEmpty();
        }
    }

    @Test
    void anUnreadableRecordCountsAsNoCachedPolicy() throws Exception {
        try (H2MessageStore store = H2MessageStore.open(H2StoreSettings.defaults(data))) {
            store.records().save(new KeyedRecord(StoredStsPolicies.KIND, "broken.example", "garbage", FETCHED));
            assertThat(new StoredStsPolicies(store.records()).load("broken.example")).isEmpty();
        }
    }
}
