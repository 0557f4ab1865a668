package dev.mta.queue.h2;

import dev.mta.queue.QueueSummary;
import dev.mta.queue.QueueSummary.AgeBucket;
import dev.mta.queue.QueueSummary.DeferralReason;
import dev.mta.queue.QueueSummary.DomainShape;
import dev.mta.queue.RecipientState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Counts the queue as Postfix's {@code qshape} does, in one read: every recipient by domain,
 * state and the age of its message, and the last replies of deferred recipients. Counted here
 * rather than in SQL because the domain is the part after the last {@code @}, which H2 cannot
 * take apart portably.
 */
final class QueueShape {
    static final String TOTAL = "TOTAL";

    private QueueShape() {
    }

    static QueueSummary of(Connection connection, Instant now, int topReasons) throws SQLException {
        Set<String> messages = new HashSet<>();
        Counts total = new Counts();
        Map<String, Counts> domains = new TreeMap<>();
        Map<String, Integer> reasons = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT r.message_id, r.address, r.state, r.last_reply, m.received_at
                FROM recipient r JOIN message m ON m.id = r.message_id""");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                messages.add(rows.getString("message_id"));
                String address = rows.getString("address");
                String domain = address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
                RecipientState state = RecipientState.valueOf(rows.getString("state"));
                AgeBucket age = AgeBucket.of(Duration.between(Timestamps.get(rows, "received_at"), now));
                total.add(state, age);
                domains.computeIfAbsent(domain, d -> new Counts()).add(state, age);
                String reply = rows.getString("last_reply");
                if (state == RecipientState.DEFERRED && reply != null) {
                    reasons.merge(reply, 1, Integer::sum);
                }
            }
        }
        List<DomainShape> shapes = domains.entrySet().stream()
                .map(e -> e.getValue().shape(e.getKey()))
                .sorted(Comparator.comparingInt(DomainShape::unsettled).reversed()
                        .thenComparing(Comparator.comparingInt(DomainShape::recipients).reversed()))
                .toList();
        List<DeferralReason> top = reasons.entrySet().stream()
                .map(e -> new DeferralReason(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingInt(DeferralReason::recipients).reversed()
                        .thenComparing(DeferralReason::reply))
                .limit(topReasons)
                .toList();
        return new QueueSummary(now, messages.size(), total.shape(TOTAL), shapes, top);
    }

    private static final class Counts {
        final Map<RecipientState, Integer> byState = new EnumMap<>(RecipientState.class);
        final Map<AgeBucket, Integer> byAge = new EnumMap<>(AgeBucket.class);

        void add(RecipientState state, AgeBucket age) {
            byState.merge(state, 1, Integer::sum);
            if (!state.isSettled()) {
                byAge.merge(age, 1, Integer::sum);
            }
        }

        DomainShape shape(String domain) {
            return new DomainShape(domain, byState, byAge);
        }
    }
}
