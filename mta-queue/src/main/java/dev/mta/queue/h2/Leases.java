package dev.mta.queue.h2;

import dev.mta.queue.ClaimedRecipient;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Leases due recipients to a worker. A recipient is due when it is QUEUED or DEFERRED, its next
 * attempt is not after now, and it has no live lease; a lease that expired (its worker died)
 * makes it due again. A settled recipient is never due, even while its message stays queued
 * for a notice it owes. Taking a lease is a conditional UPDATE that repeats the whole "due" test:
 * when two claimers pick the same row, H2 makes the second wait for the first's row lock and
 * then re-evaluates the condition against the committed row, so only one of them gets it.
 */
final class Leases {
    private static final String DUE = "state IN ('QUEUED', 'DEFERRED') AND next_attempt <= ?"
            + " AND (lease_expires IS NULL OR lease_expires <= ?)";
    /** Rounds of picking candidates; later rounds only make up for rows a concurrent claimer took. */
    private static final int ROUNDS = 3;

    private Leases() {
    }

    static List<ClaimedRecipient> claim(Connection connection, Instant now, int limit, String owner, Duration leaseTime)
            throws SQLException {
        Instant expires = now.plus(leaseTime);
        return Transactions.inTransaction(connection, c -> {
            List<Candidate> taken = new ArrayList<>();
            for (int round = 0; round < ROUNDS && taken.size() < limit; round++) {
                List<Candidate> candidates = due(c, now, limit - taken.size());
                int before = taken.size();
                for (Candidate candidate : candidates) {
                    if (take(c, candidate.ref(), now, owner, expires)) {
                        taken.add(candidate);
                    }
                }
                if (taken.size() - before == candidates.size()) {
                    break;
                }
            }
            return describe(c, taken, expires);
        });
    }

    private static List<Candidate> due(Connection connection, Instant now, int limit) throws SQLException {
        List<Candidate> candidates = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT message_id, idx, attempts FROM recipient WHERE " + DUE
                        + " ORDER BY next_attempt, message_id, idx LIMIT ?")) {
            Timestamps.set(query, 1, now);
            Timestamps.set(query, 2, now);
            query.setInt(3, limit);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    candidates.add(new Candidate(
                            new RecipientRef(new QueueId(rows.getString("message_id")), rows.getInt("idx")),
                            rows.getInt("attempts")));
                }
            }
        }
        return candidates;
    }

    private static boolean take(Connection connection, RecipientRef ref, Instant now, String owner, Instant expires)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE recipient SET lease_owner = ?, lease_expires = ? WHERE message_id = ? AND idx = ? AND " + DUE)) {
            update.setString(1, owner);
            Timestamps.set(update, 2, expires);
            update.setString(3, ref.message().value());
            update.setInt(4, ref.index());
            Timestamps.set(update, 5, now);
            Timestamps.set(update, 6, now);
            return update.executeUpdate() == 1;
        }
    }

    private static List<ClaimedRecipient> describe(Connection connection, List<Candidate> taken, Instant expires)
            throws SQLException {
        Map<QueueId, MessageRows.Stored> messages = new HashMap<>();
        List<ClaimedRecipient> claimed = new ArrayList<>(taken.size());
        for (Candidate candidate : taken) {
            QueueId id = candidate.ref().message();
            MessageRows.Stored stored = messages.get(id);
            if (stored == null) {
                // The message cannot vanish: its recipient is unsettled and now leased to us.
                stored = MessageRows.stored(connection, id)
                        .orElseThrow(() -> new SQLException("recipient of message " + id + " has no message row"));
                messages.put(id, stored);
            }
            claimed.add(new ClaimedRecipient(candidate.ref(), stored.envelope(),
                    stored.envelope().recipients().get(candidate.ref().index()), candidate.attempts(), expires));
        }
        return claimed;
    }

    private record Candidate(RecipientRef ref, int attempts) {
    }
}
