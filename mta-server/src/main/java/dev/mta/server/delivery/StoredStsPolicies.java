package dev.mta.server.delivery;

import dev.mta.queue.KeyedRecord;
import dev.mta.queue.KeyedRecords;
import dev.mta.queue.StoreException;
import dev.mta.security.mtasts.StsMode;
import dev.mta.security.mtasts.StsPolicy;
import dev.mta.security.mtasts.StsPolicyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MTA-STS policies kept in the queue's keyed records, so a restart keeps the cache (RFC 8461
 * 5.1): one record per domain, lines "mode", "max_age seconds", "id", "fetched at", then the mx
 * patterns. A store failure is logged and treated as no cached policy (the next lookup fetches).
 */
public final class StoredStsPolicies implements StsPolicyStore {
    private static final Logger LOG = LoggerFactory.getLogger(StoredStsPolicies.class);
    static final String KIND = "mta-sts";

    private final KeyedRecords records;

    public StoredStsPolicies(KeyedRecords records) {
        this.records = records;
    }

    @Override
    public Optional<StsPolicy> load(String domain) {
        try {
            return records.load(KIND, domain).flatMap(StoredStsPolicies::decode);
        } catch (StoreException e) {
            LOG.warn("cannot read the cached MTA-STS policy of {}: {}", domain, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void save(String domain, StsPolicy policy) {
        StringBuilder text = new StringBuilder()
                .append(policy.mode().token()).append('\n')
                .append(policy.maxAge().toSeconds()).append('\n')
                .append(policy.id()).append('\n')
                .append(policy.fetchedAt()).append('\n');
        policy.mx().forEach(mx -> text.append(mx).append('\n'));
        try {
            records.save(new KeyedRecord(KIND, domain, text.toString(), policy.fetchedAt()));
        } catch (StoreException e) {
            LOG.warn("cannot keep the MTA-STS policy of {}: {}", domain, e.getMessage());
        }
    }

    @Override
    public void remove(String domain) {
        try {
            records.remove(KIND, domain);
        } catch (StoreException e) {
            LOG.warn("cannot drop the MTA-STS policy of {}: {}", domain, e.getMessage());
        }
    }

    /** How many policies are cached; 0 when the store cannot say. */
    public int count() {
        try {
            return records.all(KIND).size();
        } catch (StoreException e) {
            LOG.debug("cannot count the cached MTA-STS policies: {}", e.getMessage());
            return 0;
        }
    }

    @Override
    public List<String> domainsExpiringBefore(Instant cutoff) {
        List<String> domains = new ArrayList<>();
        try {
            for (KeyedRecord record : records.all(KIND)) {
                decode(record).filter(p -> p.expiresAt().isBefore(cutoff)).ifPresent(p -> domains.add(record.key()));
            }
        } catch (StoreException e) {
            LOG.warn("cannot list the cached MTA-STS policies: {}", e.getMessage());
        }
        return domains;
    }

    private static Optional<StsPolicy> decode(KeyedRecord record) {
        List<String> lines = Arrays.asList(record.value().split("\n"));
        try {
            StsMode mode = StsMode.ofToken(lines.get(0)).orElseThrow();
            return Optional.of(new StsPolicy(mode, lines.subList(4, lines.size()), Duration.ofSeconds(Long.parseLong(lines.get(1))),
                    lines.get(2), Instant.parse(lines.get(3))));
        } catch (RuntimeException e) {
            LOG.warn("ignoring an unreadable cached MTA-STS policy of {}", record.key());
            return Optional.empty();
        }
    }
}
