package dev.mta.queue.h2;

import dev.mta.queue.Attempt;
import dev.mta.queue.Diagnosis;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientRef;
import dev.mta.queue.RecipientState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The attempt history: one row per settled attempt, removed with its message. */
final class AttemptRows {
    private AttemptRows() {
    }

    static void insert(Connection connection, RecipientRef ref, Instant at, String worker, RecipientState outcome,
            Diagnosis diagnosis) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO attempt(message_id, recipient_idx, attempted_at, worker, outcome, status, reply, remote_mta)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setString(1, ref.message().value());
            insert.setInt(2, ref.index());
            Timestamps.set(insert, 3, at);
            insert.setString(4, worker);
            insert.setString(5, outcome.name());
            DiagnosisColumns.set(insert, 6, diagnosis);
            insert.executeUpdate();
        }
    }

    static List<Attempt> of(Connection connection, QueueId id) throws SQLException {
        List<Attempt> attempts = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT * FROM attempt WHERE message_id = ? ORDER BY id")) {
            query.setString(1, id.value());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    attempts.add(new Attempt(new RecipientRef(id, rows.getInt("recipient_idx")),
                            Timestamps.get(rows, "attempted_at"), rows.getString("worker"),
                            RecipientState.valueOf(rows.getString("outcome")), DiagnosisColumns.ATTEMPT.require(rows)));
                }
            }
        }
        return attempts;
    }
}
