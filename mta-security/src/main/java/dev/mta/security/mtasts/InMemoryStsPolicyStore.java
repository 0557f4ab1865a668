package dev.mta.security.mtasts;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A store that forgets at exit: for tests and tools that keep no queue. */
public final class InMemoryStsPolicyStore implements StsPolicyStore {
    private final Map<String, StsPolicy> policies = new ConcurrentHashMap<>();

    @Override
    public Optional<StsPolicy> load(String domain) {
        return Optional.ofNullable(policies.get(domain));
    }

    @Override
    public void save(String domain, StsPolicy policy) {
        policies.put(domain, policy);
    }

    @Override
    public void remove(String domain) {
        policies.remove(domain);
    }

    @Override
    public List<String> domainsExpiringBefore(Instant instant) {
        return policies.entrySet().stream()
                .filter(entry -> entry.getValue().expiresAt().isBefore(instant))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }
}
