package dev.mta.queue.h2;

import dev.mta.queue.Diagnosis;
import dev.mta.queue.NoticeKind;
import dev.mta.queue.QueueChange;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientRef;
import dev.mta.queue.RecipientState;
import dev.mta.queue.Selection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's queue actions (hold, release, requeue, bounce, delete), each one transaction.
 *
 * <p>The messages concerned are locked first, in id order, as {@link Settlements} locks a message
 * before its recipient, so an action and a settlement of the same message are serialized instead
 * of deadlocking. A recipient whose lease is still live at {@code now} is left alone and
 * reported: a delivery attempt is under way and its settlement will record what really happened.
 * An expired lease counts as none, as for {@link Leases}.
 */
final class OperatorActions {
    /** The worker named in the attempt history for what the operator decided. */
    static final String POSTMASTER = "postmaster";
    private static final Set<RecipientState> UNSETTLED =
            EnumSet.of(RecipientState.QUEUED, RecipientState.DEFERRED, RecipientState.HELD);

    private OperatorActions() {
    }

    /** What an action changed, and the messages it removed whole (their bodies go once this is synced). */
    record Outcome(QueueChange change, List<QueueId> removed) {
    }

    static Outcome hold(Connection connection, Selection selection, Instant now) throws SQLException {
        return onRecipients(connection, selection, now, EnumSet.of(RecipientState.QUEUED, RecipientState.DEFERRED),
                (c, row) -> update(c, row, "UPDATE recipient SET state = 'HELD' WHERE message_id = ? AND idx = ?"));
    }

    static Outcome release(Connection connection, Selection selection, Instant now) throws SQLException {
        return onRecipients(connection, selection, now, EnumSet.of(RecipientState.HELD),
                (c, row) -> makeDue(c, row, now));
    }

    static Outcome requeue(Connection connection, Selection selection, Instant now) throws SQLException {
        return onRecipients(connection, selection, now, UNSETTLED, (c, row) -> makeDue(c, row, now));
    }

    static Outcome bounce(Connection connection, Selection selection, Diagnosis diagnosis, Instant now)
            throws SQLException {
        return onRecipients(connection, selection, now, UNSETTLED, (c, row) -> {
            try (PreparedStatement update = c.prepareStatement("""
                    UPDATE recipient SET state = 'BOUNCED', next_attempt = NULL,
                        last_status = ?, last_reply = ?, last_remote_mta = ?, last_attempt = ?, pending_notice = ?
                    WHERE message_id = ? AND idx = ?""")) {
                DiagnosisColumns.set(update, 1, diagnosis);
                Timestamps.set(update, 4, now);
                update.setString(5, row.wantsFailureNotice() ? NoticeKind.FAILURE.name() : null);
                update.setString(6, row.ref().message().value());
                update.setInt(7, row.ref().index());
                update.executeUpdate();
            }
            AttemptRows.insert(c, row.ref(), now, POSTMASTER, RecipientState.BOUNCED, diagnosis);
        });
    }

    static Outcome delete(Connection connection, Selection selection, Instant now) throws SQLException {
        SelectionSql sql = SelectionSql.of(selection, now);
        return Transactions.inTransaction(connection, c -> {
            List<QueueId> messages = lockMessages(c, sql);
            List<QueueId> removed = new ArrayList<>();
            List<RecipientRef> leased = new ArrayList<>();
            int recipients = 0;
            for (QueueId id : messages) {
                List<Row> rows = recipients(c, "r.message_id = ?", statement -> statement.setString(1, id.value()));
                List<RecipientRef> busy = rows.stream().filter(row -> row.leasedAt(now)).map(Row::ref).toList();
                if (!busy.isEmpty()) {
                    leased.addAll(busy);
                    continue;
                }
                MessageRows.delete(c, id);
                removed.add(id);
                recipients += rows.size();
            }
            return new Outcome(new QueueChange(removed.size(), recipients, leased), removed);
        });
    }

    /**
     * Applies {@code change} to every selected recipient in one of {@code states} without a live
     * lease; then removes the messages that are left with nothing to do.
     */
    private static Outcome onRecipients(Connection connection, Selection selection, Instant now,
            Set<RecipientState> states, Change change) throws SQLException {
        SelectionSql sql = SelectionSql.of(selection, now);
        String inStates = states.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
        return Transactions.inTransaction(connection, c -> {
            lockMessages(c, sql);
            List<Row> rows = recipients(c, sql.condition() + " AND r.state IN (" + inStates + ")",
                    statement -> sql.bind(statement, 1));
            Set<QueueId> changedMessages = new LinkedHashSet<>();
            List<RecipientRef> leased = new ArrayList<>();
            int changed = 0;
            for (Row row : rows) {
                if (row.leasedAt(now)) {
                    leased.add(row.ref());
                    continue;
                }
                change.apply(c, row);
                changedMessages.add(row.ref().message());
                changed++;
            }
            List<QueueId> removed = new ArrayList<>();
            for (QueueId id : changedMessages) {
                if (MessageRows.isFinished(c, id)) {
                    MessageRows.delete(c, id);
                    removed.add(id);
                }
            }
            return new Outcome(new QueueChange(changedMessages.size(), changed, leased), removed);
        });
    }

    /** Locks the messages with a selected recipient, in id order; returns them in that order. */
    private static List<QueueId> lockMessages(Connection connection, SelectionSql sql) throws SQLException {
        List<QueueId> ids = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT id FROM message WHERE id IN (SELECT r.message_id FROM recipient r WHERE " + sql.condition()
                        + ") ORDER BY id FOR UPDATE")) {
            sql.bind(query, 1);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(new QueueId(rows.getString(1)));
                }
            }
        }
        return ids;
    }

    private static List<Row> recipients(Connection connection, String condition, Binder binder) throws SQLException {
        List<Row> found = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT r.message_id, r.idx, r.state, r.attempts, r.notify, r.lease_expires FROM recipient r WHERE "
                        + condition + " ORDER BY r.message_id, r.idx FOR UPDATE")) {
            binder.bind(query);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    found.add(new Row(new RecipientRef(new QueueId(rows.getString("message_id")), rows.getInt("idx")),
                            RecipientState.valueOf(rows.getString("state")), rows.getInt("attempts"),
                            rows.getString("notify"), Timestamps.optional(rows, "lease_expires").orElse(null)));
                }
            }
        }
        return found;
    }

    /**
     * Due at {@code now}. A held recipient goes back to DEFERRED, or to QUEUED when it was never
     * attempted (DEFERRED means "tried and failed"; a delay notice is only owed after an attempt).
     */
    private static void makeDue(Connection connection, Row row, Instant now) throws SQLException {
        RecipientState state = row.state() != RecipientState.HELD ? row.state()
                : row.attempts() == 0 ? RecipientState.QUEUED : RecipientState.DEFERRED;
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE recipient SET state = ?, next_attempt = ? WHERE message_id = ? AND idx = ?")) {
            update.setString(1, state.name());
            Timestamps.set(update, 2, now);
            update.setString(3, row.ref().message().value());
            update.setInt(4, row.ref().index());
            update.executeUpdate();
        }
    }

    private static void update(Connection connection, Row row, String sql) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setString(1, row.ref().message().value());
            update.setInt(2, row.ref().index());
            update.executeUpdate();
        }
    }

    private record Row(RecipientRef ref, RecipientState state, int attempts, String notifyOn, Instant leaseExpires) {
        boolean leasedAt(Instant now) {
            return leaseExpires != null && leaseExpires.isAfter(now);
        }

        /**
         * RFC 3461 4.1: without NOTIFY a failure is reported; with it, only when FAILURE is
         * listed (NEVER excludes it). The notify column holds the sorted names joined by commas.
         */
        boolean wantsFailureNotice() {
            return notifyOn.isEmpty() || Set.of(notifyOn.split(",")).contains("FAILURE");
        }
    }

    @FunctionalInterface
    private interface Change {
        void apply(Connection connection, Row row) throws SQLException;
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }
}
