package dev.mta.server.admin;

import dev.mta.delivery.attempt.AttemptResult;
import dev.mta.delivery.scheduler.DeliveryObserver;
import dev.mta.queue.Settlement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What delivery did over the last {@link #WINDOW}, for the status page: settled attempts per
 * {@link #BUCKET} by outcome, delivered recipients by how their hop was protected, and the
 * most frequent deferral replies. Fed as a {@link DeliveryObserver}; memory is bounded (a ring
 * of {@code WINDOW / BUCKET} buckets, each with at most {@link #REASONS_PER_BUCKET} distinct
 * replies) and gone at restart, which is all a glance at the relay needs.
 */
public final class DeliveryHistory implements DeliveryObserver {
    public static final Duration BUCKET = Duration.ofMinutes(10);
    public static final Duration WINDOW = Duration.ofHours(24);
    static final int REASONS_PER_BUCKET = 20;
    /** A reply is grouped by its first this many characters (a long reply often ends with an id). */
    static final int REASON_LENGTH = 160;
    static final String OTHER_REASONS = "(other replies)";

    private static final int BUCKETS = (int) (WINDOW.toSeconds() / BUCKET.toSeconds());

    private final Clock clock;
    private final Bucket[] ring = new Bucket[BUCKETS];

    public DeliveryHistory(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** One settled attempt per recipient; called on the delivery threads, so it only counts. */
    @Override
    public void settled(AttemptResult result, Settlement settlement, Duration sinceArrival) {
        Instant now = clock.instant();
        synchronized (this) {
            Bucket bucket = bucket(slot(now));
            switch (settlement) {
                case Settlement.Delivered ignored -> {
                    bucket.delivered++;
                    bucket.tls.merge(TlsPosture.of(result.via().tlsMode()), 1, Integer::sum);
                }
                case Settlement.Deferred deferred -> {
                    bucket.deferred++;
                    bucket.countReason(deferred.reply());
                }
                case Settlement.Bounced ignored -> bucket.bounced++;
            }
        }
    }

    /**
     * The last {@link #WINDOW} up to now, oldest bucket first, with the {@code topReasons} most
     * frequent deferral replies.
     */
    public Snapshot snapshot(int topReasons) {
        long current = slot(clock.instant());
        List<Counts> buckets = new ArrayList<>(BUCKETS);
        Map<TlsPosture, Integer> tls = new EnumMap<>(TlsPosture.class);
        for (TlsPosture posture : TlsPosture.values()) {
            tls.put(posture, 0);
        }
        Map<String, Integer> reasons = new HashMap<>();
        synchronized (this) {
            for (long slot = current - BUCKETS + 1; slot <= current; slot++) {
                Bucket bucket = ring[index(slot)];
                Instant start = Instant.ofEpochSecond(slot * BUCKET.toSeconds());
                if (bucket == null || bucket.slot != slot) {
                    buckets.add(new Counts(start, 0, 0, 0));
                    continue;
                }
                buckets.add(new Counts(start, bucket.delivered, bucket.deferred, bucket.bounced));
                bucket.tls.forEach((posture, count) -> tls.merge(posture, count, Integer::sum));
                bucket.reasons.forEach((reason, count) -> reasons.merge(reason, count, Integer::sum));
            }
        }
        List<ReasonCount> top = reasons.entrySet().stream()
                .map(e -> new ReasonCount(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingInt(ReasonCount::count).reversed().thenComparing(ReasonCount::reason))
                .limit(topReasons)
                .toList();
        return new Snapshot(BUCKET, buckets, tls, top);
    }

    private Bucket bucket(long slot) {
        int index = index(slot);
        Bucket bucket = ring[index];
        if (bucket == null || bucket.slot != slot) {
            // The slot a whole window ago: its counts have left the window.
            bucket = new Bucket(slot);
            ring[index] = bucket;
        }
        return bucket;
    }

    private static long slot(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), BUCKET.toSeconds());
    }

    private static int index(long slot) {
        return (int) Math.floorMod(slot, (long) BUCKETS);
    }

    private static final class Bucket {
        final long slot;
        int delivered;
        int deferred;
        int bounced;
        final Map<TlsPosture, Integer> tls = new EnumMap<>(TlsPosture.class);
        final Map<String, Integer> reasons = new HashMap<>();

        Bucket(long slot) {
            this.slot = slot;
        }

        void countReason(String reply) {
            String reason = reply.length() > REASON_LENGTH ? reply.substring(0, REASON_LENGTH) + "…" : reply;
            if (!reasons.containsKey(reason) && reasons.size() >= REASONS_PER_BUCKET - 1) {
                // Bounded: one bucket full of distinct replies (ids, addresses) keeps the rest as one count.
                reason = OTHER_REASONS;
            }
            reasons.merge(reason, 1, Integer::sum);
        }
    }

    /** Settled attempts in the bucket that starts at {@code start}. */
    public record Counts(Instant start, int delivered, int deferred, int bounced) {
        public int total() {
            return delivered + deferred + bounced;
        }
    }

    /** A deferral reply and how often delivery got it. */
    public record ReasonCount(String reason, int count) {
    }

    /**
     * The window at one moment.
     *
     * @param bucketWidth each bucket's length
     * @param buckets     oldest first; the last is the current, partly elapsed one
     * @param tls         delivered recipients by how their hop was protected, every posture present
     * @param topReasons  the most frequent deferral replies, most frequent first
     */
    public record Snapshot(Duration bucketWidth, List<Counts> buckets, Map<TlsPosture, Integer> tls, List<ReasonCount> topReasons) {
        public Snapshot {
            buckets = List.copyOf(buckets);
            tls = java.util.Collections.unmodifiableMap(new EnumMap<>(tls));
            topReasons = List.copyOf(topReasons);
        }

        public int delivered() {
            return buckets.stream().mapToInt(Counts::delivered).sum();
        }

        public int deferred() {
            return buckets.stream().mapToInt(Counts::deferred).sum();
        }

        public int bounced() {
            return buckets.stream().mapToInt(Counts::bounced).sum();
        }

        /** The share of delivered recipients with this posture, 0 to 100, rounded; 0 when nothing was delivered. */
        public int percent(TlsPosture posture) {
            int all = tls.values().stream().mapToInt(Integer::intValue).sum();
            return all == 0 ? 0 : Math.round(100f * tls.get(posture) / all);
        }
    }
}
