package dev.mta.security.mtasts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where policies survive restarts (RFC 8461 5.1: a policy is used until its max_age, whatever
 * happens to the TXT record or the policy host). Domains are A-label, lower case, without a
 * trailing dot. Implementations are thread-safe.
 */
public interface StsPolicyStore {

    Optional<StsPolicy> load(String domain);

    /** Stores {@code policy} for {@code domain}, replacing any earlier one. */
    void save(String domain, StsPolicy policy);

    void remove(String domain);

    /** The domains whose policy expires ({@link StsPolicy#expiresAt()}) before {@code instant}. */
    List<String> domainsExpiringBefore(Instant instant);
}
