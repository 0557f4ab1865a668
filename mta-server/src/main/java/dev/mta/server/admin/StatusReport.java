package dev.mta.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mta.queue.QueueSummary;
import dev.mta.queue.QueueSummary.AgeBucket;
import dev.mta.queue.RecipientState;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What the status page shows, at one moment: the queue's shape from the store and what delivery
 * did lately from the {@link DeliveryHistory}. {@code /api/status} is {@link #json()}; the page
 * is rendered from the same report, so the two never disagree.
 *
 * @param at         when it was taken
 * @param queue      the queue's summary, with the replies deferred mail waits on
 * @param deliveries the last 24 hours of delivery
 */
public record StatusReport(Instant at, QueueSummary queue, DeliveryHistory.Snapshot deliveries) {
    static final int TOP_REASONS = 5;

    public StatusReport {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(deliveries, "deliveries");
    }

    /**
     * The age bucket of the oldest unsettled mail (the store keeps ages in qshape's buckets);
     * empty when nothing waits.
     */
    public Optional<AgeBucket> oldest() {
        AgeBucket oldest = null;
        for (AgeBucket bucket : AgeBucket.values()) {
            if (queue.total().count(bucket) > 0) {
                oldest = bucket;
            }
        }
        return Optional.ofNullable(oldest);
    }

    public ObjectNode json() {
        ObjectNode root = QueueJson.object();
        root.put("at", at.toString());
        ObjectNode queueNode = root.putObject("queue");
        queueNode.put("messages", queue.messages());
        ObjectNode recipients = queueNode.putObject("recipients");
        for (RecipientState state : RecipientState.values()) {
            recipients.put(state.name().toLowerCase(Locale.ROOT), queue.total().count(state));
        }
        oldest().ifPresentOrElse(bucket -> queueNode.put("oldest", bucket.label()), () -> queueNode.putNull("oldest"));
        ArrayNode waiting = queueNode.putArray("waitingOn");
        queue.topReasons().forEach(r -> waiting.addObject().put("reply", r.reply()).put("recipients", r.recipients()));

        ObjectNode deliveryNode = root.putObject("deliveries");
        deliveryNode.put("bucketMinutes", deliveries.bucketWidth().toMinutes());
        deliveryNode.put("delivered", deliveries.delivered());
        deliveryNode.put("deferred", deliveries.deferred());
        deliveryNode.put("bounced", deliveries.bounced());
        ArrayNode buckets = deliveryNode.putArray("buckets");
        for (DeliveryHistory.Counts counts : deliveries.buckets()) {
            buckets.addObject().put("start", counts.start().toString()).put("delivered", counts.delivered())
                    .put("deferred", counts.deferred()).put("bounced", counts.bounced());
        }
        ObjectNode tls = root.putObject("tls");
        for (TlsPosture posture : TlsPosture.values()) {
            tls.putObject(posture.key()).put("delivered", deliveries.tls().get(posture)).put("percent", deliveries.percent(posture));
        }
        ArrayNode reasons = root.putArray("deferralReasons");
        deliveries.topReasons().forEach(r -> reasons.addObject().put("reply", r.reason()).put("count", r.count()));
        return root;
    }
}
