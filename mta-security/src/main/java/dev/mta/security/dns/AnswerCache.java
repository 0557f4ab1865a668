package dev.mta.security.dns;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/**
 * Answers already judged, by question, for as long as they may be believed:
 * <ul>
 * <li>records and denials (SECURE or INSECURE) for the smallest TTL in the answer and authority
 *     sections, and a denial no longer than its SOA's MINIMUM (RFC 2308 5); never past the
 *     expiry of a signature in the answer (RFC 4035 5.3.3); at most a day, and a denial at most
 *     three hours (RFC 2308 5 suggests one to three);
 * <li>BOGUS verdicts for {@link #BOGUS_LIFETIME} only, so that a broken zone is not validated
 *     again for every message while it stays broken, and a repaired one is believed soon
 *     (RFC 4035 4.7 asks for such a limit);
 * <li>nothing else: no answer, server errors and unfinished validation (INDETERMINATE) are asked
 *     again next time, as the failure may pass.
 * </ul>
 * Bounded: beyond {@code capacity} entries the least recently used goes. Thread-safe.
 */
final class AnswerCache {
    static final Duration BOGUS_LIFETIME = Duration.ofSeconds(30);
    static final Duration MAX_LIFETIME = Duration.ofDays(1);
    static final Duration MAX_NEGATIVE_LIFETIME = Duration.ofHours(3);
    static final int DEFAULT_CAPACITY = 10_000;

    private record Question(Name name, int type) {
    }

    private record Cached(Message response, Instant expires) {
    }

    private final Clock clock;
    private final Map<Question, Cached> entries;

    AnswerCache(Clock clock, int capacity) {
        this.clock = clock;
        if (capacity < 1) {
            throw new IllegalArgumentException("cache capacity must be at least 1: " + capacity);
        }
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Question, Cached> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized Optional<Message> get(Name name, int type) {
        Question question = new Question(name, type);
        Cached entry = entries.get(question);
        if (entry == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(entry.expires())) {
            entries.remove(question);
            return Optional.empty();
        }
        return Optional.of(entry.response());
    }

    /** Keeps {@code response}, judged {@code security}, for as long as the rules above allow. */
    void put(Name name, int type, Message response, DnsSecurity security) {
        Instant now = clock.instant();
        Optional<Duration> lifetime = lifetime(response, security, now);
        if (lifetime.isEmpty() || !lifetime.get().isPositive()) {
            return;
        }
        synchronized (this) {
            entries.put(new Question(name, type), new Cached(response, now.plus(lifetime.get())));
        }
    }

    synchronized int size() {
        return entries.size();
    }

    private static Optional<Duration> lifetime(Message response, DnsSecurity security, Instant now) {
        return switch (security) {
            case BOGUS -> Optional.of(BOGUS_LIFETIME);
            case INDETERMINATE -> Optional.empty();
            case SECURE, INSECURE -> {
                int rcode = response.getRcode();
                if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
                    yield Optional.empty();
                }
                yield recordLifetime(response, now);
            }
        };
    }

    private static Optional<Duration> recordLifetime(Message response, Instant now) {
        boolean negative = response.getRcode() == Rcode.NXDOMAIN || response.getSection(Section.ANSWER).isEmpty();
        long seconds = Long.MAX_VALUE;
        Instant signaturesExpire = Instant.MAX;
        boolean soaSeen = false;
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
            for (Record record : response.getSection(section)) {
                seconds = Math.min(seconds, record.getTTL());
                if (record instanceof RRSIGRecord signature && signature.getExpire().isBefore(signaturesExpire)) {
                    signaturesExpire = signature.getExpire();
                }
                if (record instanceof SOARecord soa) {
                    soaSeen = true;
                    seconds = Math.min(seconds, soa.getMinimum());
                }
            }
        }
        if (seconds == Long.MAX_VALUE || (negative && !soaSeen)) {
            // Nothing to take a TTL from; and RFC 2308 5: a denial without an SOA is not cached.
            return Optional.empty();
        }
        Duration lifetime = Duration.ofSeconds(seconds);
        lifetime = min(lifetime, negative ? MAX_NEGATIVE_LIFETIME : MAX_LIFETIME);
        if (!signaturesExpire.equals(Instant.MAX)) {
            lifetime = min(lifetime, Duration.between(now, signaturesExpire));
        }
        return Optional.of(lifetime);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
