package dev.mta.security.mtasts;

import dev.mta.security.dns.DnsResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Decides which policy applies to a domain (RFC 8461 5.1) from the TXT record, the cache and a
 * fetch:
 * <ul>
 * <li>a cached policy is used until its max_age has passed, whatever the TXT record says and
 *     whether or not a refresh works: only a successfully fetched policy replaces it, so a
 *     policy in mode none withdraws protection only once fetched;</li>
 * <li>a valid TXT record (exactly one, RFC 8461 3.1) whose id differs from the cached policy's,
 *     or with nothing cached, triggers a fetch;</li>
 * <li>no valid TXT record and nothing cached: no policy.</li>
 * </ul>
 * {@link #refreshDueBefore} refreshes cached policies before they expire (RFC 8461 5.1: senders
 * SHOULD refresh proactively), for the relay to call periodically.
 *
 * <p>Thread-safe as its store is. Calls block on DNS and HTTPS: run them on virtual threads.
 * Concurrent calls that need the same policy (domain and id) share one fetch, so a burst of
 * deliveries to a domain does not become a burst of requests to its policy host; and a failed
 * fetch is not repeated for {@link #RETRY_AFTER_FAILURE}, so a dead policy host costs one
 * timeout per domain every few minutes, not one per MX host of every delivery attempt.
 */
public final class StsPolicies {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StsPolicies.class);
    /** How long a failed fetch of a domain's announced policy is remembered instead of retried. */
    public static final Duration RETRY_AFTER_FAILURE = Duration.ofMinutes(5);

    private final TxtLookup txt;
    private final StsPolicySource source;
    private final StsPolicyStore store;
    private final Clock clock;
    private final ConcurrentMap<String, CompletableFuture<FetchResult>> fetching = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, RecentFailure> recentFailures = new ConcurrentHashMap<>();

    private record RecentFailure(FetchResult.Failed failure, Instant at) {
    }

    public StsPolicies(TxtLookup txt, StsPolicySource source, StsPolicyStore store, Clock clock) {
        this.txt = Objects.requireNonNull(txt, "txt");
        this.source = Objects.requireNonNull(source, "source");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The policy in force for {@code domain} (a recipient domain, any case, U- or A-labels). */
    public StsLookup policyFor(String domain) {
        String name = StsDomains.normalise(domain);
        Optional<StsPolicy> cached = unexpired(name);
        Optional<StsTxtRecord> announced = discover(name);
        if (announced.isEmpty()) {
            // RFC 8461 5.1: the TXT record only signals changes; its absence withdraws nothing.
            return cached.<StsLookup>map(policy -> new StsLookup.InForce(policy, Optional.empty()))
                    .orElseGet(() -> new StsLookup.NoPolicy("no valid MTA-STS TXT record at " + StsDomains.txtName(name)));
        }
        String id = announced.get().id();
        if (cached.isPresent() && cached.get().id().equals(id)) {
            return new StsLookup.InForce(cached.get(), Optional.empty());
        }
        return switch (fetchUnlessRecentlyFailed(name, id)) {
            case FetchResult.Fetched fetched -> new StsLookup.InForce(fetched.policy(), Optional.empty());
            // RFC 8461 5.1: a failed refresh leaves the cached policy in force until it expires.
            case FetchResult.Failed failed -> cached.<StsLookup>map(policy -> new StsLookup.InForce(policy, Optional.of(failed)))
                    .orElseGet(() -> new StsLookup.Unavailable(failed));
        };
    }

    /**
     * Fetches afresh every cached policy that expires before {@code cutoff} (e.g. now plus a
     * day), with the id of the current TXT record or, when there is none, the cached id.
     * Policies already expired are dropped first; a failed refresh keeps the cached policy.
     *
     * @return the outcome for each domain tried, for logs
     */
    public Map<String, FetchResult> refreshDueBefore(Instant cutoff) {
        Map<String, FetchResult> outcomes = new LinkedHashMap<>();
        for (String domain : store.domainsExpiringBefore(cutoff)) {
            Optional<StsPolicy> cached = unexpired(domain);
            if (cached.isEmpty()) {
                continue;
            }
            String id = discover(domain).map(StsTxtRecord::id).orElse(cached.get().id());
            FetchResult result = fetchOnce(domain, id);
            outcomes.put(domain, result);
        }
        return outcomes;
    }

    private FetchResult fetchUnlessRecentlyFailed(String domain, String id) {
        String key = domain + " " + id;
        RecentFailure recent = recentFailures.get(key);
        Instant now = clock.instant();
        if (recent != null && now.isBefore(recent.at().plus(RETRY_AFTER_FAILURE))) {
            return recent.failure();
        }
        FetchResult result = fetchOnce(domain, id);
        if (result instanceof FetchResult.Failed failed) {
            // Forget failures past their time, so the map holds only the last few minutes' worth.
            recentFailures.values().removeIf(old -> !now.isBefore(old.at().plus(RETRY_AFTER_FAILURE)));
            recentFailures.put(key, new RecentFailure(failed, now));
        } else {
            recentFailures.remove(key);
        }
        return result;
    }

    /** Fetches, or waits for the fetch another thread already does; a policy fetched is stored. */
    private FetchResult fetchOnce(String domain, String id) {
        CompletableFuture<FetchResult> mine = new CompletableFuture<>();
        String key = domain + " " + id;
        CompletableFuture<FetchResult> running = fetching.putIfAbsent(key, mine);
        if (running != null) {
            return running.join();
        }
        try {
            FetchResult result = source.fetch(domain, id);
            switch (result) {
                case FetchResult.Fetched fetched -> {
                    store.save(domain, fetched.policy());
                    LOG.info("MTA-STS policy fetched domain={} id={} mode={} mx={} max_age={}", domain, id,
                            fetched.policy().mode().token(), fetched.policy().mx(), fetched.policy().maxAge().toSeconds());
                }
                case FetchResult.Failed failed -> LOG.warn("MTA-STS policy fetch failed domain={} id={} result={}: {}",
                        domain, id, failed.kind().resultType(), failed.reason());
            }
            mine.complete(result);
            return result;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            fetching.remove(key, mine);
        }
    }

    private Optional<StsPolicy> unexpired(String domain) {
        Optional<StsPolicy> cached = store.load(domain);
        if (cached.isPresent() && cached.get().isExpiredAt(clock.instant())) {
            store.remove(domain); // RFC 8461 5.1: past max_age a policy is no longer used
            return Optional.empty();
        }
        return cached;
    }

    /** RFC 8461 3.1: the one valid STS TXT record; a lookup failure counts as none. */
    private Optional<StsTxtRecord> discover(String domain) {
        DnsResult<List<String>> answer = txt.txt(StsDomains.txtName(domain));
        if (answer instanceof DnsResult.Found<List<String>> found) {
            // Strings of one TXT record are joined without separator, as for SPF (RFC 7208 3.3).
            return StsTxtRecord.discover(found.records().stream().map(strings -> String.join("", strings)).toList());
        }
        return Optional.empty();
    }
}
