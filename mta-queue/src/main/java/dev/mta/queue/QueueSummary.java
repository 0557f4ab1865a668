package dev.mta.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The shape of the queue at one moment, as Postfix's {@code qshape} shows it: recipients per
 * destination domain by state and by age, and why deferred mail waits.
 *
 * @param at         the moment the ages are measured from
 * @param messages   messages in the queue (those kept only for a notice they owe included)
 * @param total      every recipient, as one row with the domain {@code "TOTAL"}
 * @param domains    one row per recipient domain (lower case), most unsettled recipients first
 * @param topReasons the most frequent last replies of DEFERRED recipients, most frequent first
 */
public record QueueSummary(Instant at, int messages, DomainShape total, List<DomainShape> domains,
        List<DeferralReason> topReasons) {

    public QueueSummary {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(total, "total");
        domains = List.copyOf(domains);
        topReasons = List.copyOf(topReasons);
    }

    /**
     * The age of a message, since it arrived, in qshape's doubling buckets (minutes):
     * 0-5, 5-10, 10-20, 20-40, 40-80, 80-160, 160-320, 320 and more. A bucket holds ages from
     * its lower bound up to, not including, its upper bound.
     */
    public enum AgeBucket {
        UNDER_5M("0-5m", 5),
        UNDER_10M("5-10m", 10),
        UNDER_20M("10-20m", 20),
        UNDER_40M("20-40m", 40),
        UNDER_80M("40-80m", 80),
        UNDER_160M("80-160m", 160),
        UNDER_320M("160-320m", 320),
        OVER_320M("320m+", Long.MAX_VALUE);

        private final String label;
        private final long upperMinutes;

        AgeBucket(String label, long upperMinutes) {
            this.label = label;
            this.upperMinutes = upperMinutes;
        }

        public String label() {
            return label;
        }

        /** The bucket of a message that arrived {@code age} ago; a negative age (clock skew) is the first. */
        public static AgeBucket of(Duration age) {
            for (AgeBucket bucket : values()) {
                if (bucket.upperMinutes == Long.MAX_VALUE || age.compareTo(Duration.ofMinutes(bucket.upperMinutes)) < 0) {
                    return bucket;
                }
            }
            throw new AssertionError("the last bucket takes every age");
        }
    }

    /**
     * The recipients of one domain.
     *
     * @param byState every recipient by its state (settled ones wait only for a notice)
     * @param byAge   the unsettled recipients (QUEUED, DEFERRED, HELD) by the age of their message
     */
    public record DomainShape(String domain, Map<RecipientState, Integer> byState, Map<AgeBucket, Integer> byAge) {
        public DomainShape {
            Objects.requireNonNull(domain, "domain");
            byState = complete(byState, RecipientState.class);
            byAge = complete(byAge, AgeBucket.class);
        }

        public int count(RecipientState state) {
            return byState.get(state);
        }

        public int count(AgeBucket bucket) {
            return byAge.get(bucket);
        }

        public int recipients() {
            return byState.values().stream().mapToInt(Integer::intValue).sum();
        }

        public int unsettled() {
            return byAge.values().stream().mapToInt(Integer::intValue).sum();
        }

        private static <K extends Enum<K>> Map<K, Integer> complete(Map<K, Integer> counts, Class<K> type) {
            EnumMap<K, Integer> all = new EnumMap<>(type);
            for (K key : type.getEnumConstants()) {
                all.put(key, counts.getOrDefault(key, 0));
            }
            return java.util.Collections.unmodifiableMap(all);
        }
    }

    /** A last reply shared by {@code recipients} DEFERRED recipients. */
    public record DeferralReason(String reply, int recipients) {
        public DeferralReason {
            Objects.requireNonNull(reply, "reply");
        }
    }
}
