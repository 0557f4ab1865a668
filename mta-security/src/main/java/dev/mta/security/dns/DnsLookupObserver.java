package dev.mta.security.dns;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Told of every lookup a resolver serves, once per lookup (a CNAME chain followed, or answers
 * taken from the cache, still count once), after its result is known and before it is returned.
 * Metrics listen here; the DNS code knows nothing of meters.
 *
 * <p>Called on the thread that asked, so it must be quick and must not block. Resolvers call it
 * through {@link #guarded}: an observer that throws never fails a lookup.
 */
@FunctionalInterface
public interface DnsLookupObserver {
    /** Listens to nothing: the default. */
    DnsLookupObserver NONE = lookup -> {
    };

    void answered(DnsLookup lookup);

    /**
     * {@code observer}, with whatever it throws caught and logged (the first failure as a
     * warning, later ones at debug level, so a broken meter cannot flood the log): counting a
     * lookup must never cost the lookup.
     */
    static DnsLookupObserver guarded(DnsLookupObserver observer) {
        Objects.requireNonNull(observer, "observer");
        if (observer == NONE) {
            return NONE;
        }
        Logger log = LoggerFactory.getLogger(DnsLookupObserver.class);
        AtomicBoolean warned = new AtomicBoolean();
        return lookup -> {
            try {
                observer.answered(lookup);
            } catch (RuntimeException e) {
                if (warned.compareAndSet(false, true)) {
                    log.warn("DNS lookup observer failed (later failures are logged at debug level): {}", e.toString(), e);
                } else {
                    log.debug("DNS lookup observer failed: {}", e.toString());
                }
            }
        };
    }
}
