package dev.mta.queue.h2;

import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.NoticeKind;
import dev.mta.queue.PendingNotice;
import dev.mta.queue.PendingNotices;
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
import java.util.Optional;

/**
 * The notices recipients owe their senders (RFC 3464 DSNs): a FAILURE or SUCCESS notice set by
 * the settlement and pending until the notifier reports it sent, and a DELAY warning owed once
 * by a recipient that has waited long. A message stays, with its body, while any notice is
 * pending; the notifier's report is what lets it go.
 */
final class Notices {
    /** A recipient owes a notice: one pending, or a delay warning (the cut-off is parameter 1). */
    private static final String OWES = """
            (r.pending_notice IS NOT NULL
             OR (m.received_at <= ? AND NOT r.delay_warned AND r.last_status IS NOT NULL
                 AND (r.state = 'DEFERRED' OR (r.state = 'QUEUED' AND r.attempts > 0))))""";

    private Notices() {
    }

    enum Outcome {
        /** The message is no longer queued: a notifier run repeated after a crash. */
        MESSAGE_GONE,
        /** Recorded; the message stays. */
        RECORDED,
        /** Recorded, and the message had nothing left to do: its rows are deleted. */
        MESSAGE_DONE
    }

    static List<PendingNotices> pending(Connection connection, Instant delayCutoff, int limit) throws SQLException {
        List<QueueId> ids = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT m.id FROM message m WHERE EXISTS (SELECT 1 FROM recipient r WHERE r.message_id = m.id AND "
                        + OWES + ") ORDER BY m.received_at, m.id LIMIT ?")) {
            Timestamps.set(query, 1, delayCutoff);
            query.setInt(2, limit);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(new QueueId(rows.getString(1)));
                }
            }
        }
        List<PendingNotices> pending = new ArrayList<>(ids.size());
        for (QueueId id : ids) {
            Optional<MessageRows.Stored> stored = MessageRows.stored(connection, id);
            if (stored.isEmpty()) {
                continue; // removed since the first query
            }
            List<PendingNotice> recipients = recipients(connection, id, stored.get(), delayCutoff);
            if (!recipients.isEmpty()) {
                pending.add(new PendingNotices(id, stored.get().envelope(), stored.get().size(), recipients));
            }
        }
        return pending;
    }

    private static List<PendingNotice> recipients(Connection connection, QueueId id, MessageRows.Stored stored,
            Instant delayCutoff) throws SQLException {
        List<PendingNotice> recipients = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT r.* FROM recipient r JOIN message m ON m.id = r.message_id WHERE r.message_id = ? AND "
                        + OWES + " ORDER BY r.idx")) {
            query.setString(1, id.value());
            Timestamps.set(query, 2, delayCutoff);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    int index = rows.getInt("idx");
                    EnvelopeRecipient recipient = stored.envelope().recipients().get(index);
                    RecipientState state = RecipientState.valueOf(rows.getString("state"));
                    String pendingNotice = rows.getString("pending_notice");
                    recipients.add(new PendingNotice(
                            new RecipientRef(id, index),
                            recipient,
                            state,
                            pendingNotice == null ? NoticeKind.DELAY : NoticeKind.valueOf(pendingNotice),
                            DiagnosisColumns.LAST.require(rows),
                            Timestamps.get(rows, "last_attempt"),
                            state.isSettled() ? Optional.empty() : Timestamps.optional(rows, "next_attempt")));
                }
            }
        }
        return recipients;
    }

    static Outcome sent(Connection connection, QueueId id, List<Integer> indexes, NoticeKind kind) throws SQLException {
        return Transactions.inTransaction(connection, c -> {
            if (!MessageRows.lock(c, id)) {
                return Outcome.MESSAGE_GONE;
            }
            String update = kind == NoticeKind.DELAY
                    ? "UPDATE recipient SET delay_warned = TRUE WHERE message_id = ? AND idx = ?"
                    // Only the notice of this kind: a repeated report must not clear another one.
                    : "UPDATE recipient SET pending_notice = NULL WHERE message_id = ? AND idx = ? AND pending_notice = ?";
            try (PreparedStatement statement = c.prepareStatement(update)) {
                for (int index : indexes) {
                    statement.setString(1, id.value());
                    statement.setInt(2, index);
                    if (kind != NoticeKind.DELAY) {
                        statement.setString(3, kind.name());
                    }
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            if (MessageRows.isFinished(c, id)) {
                MessageRows.delete(c, id);
                return Outcome.MESSAGE_DONE;
            }
            return Outcome.RECORDED;
        });
    }
}
