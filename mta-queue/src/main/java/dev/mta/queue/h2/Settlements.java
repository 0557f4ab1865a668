package dev.mta.queue.h2;

import dev.mta.queue.NoticeKind;
import dev.mta.queue.RecipientRef;
import dev.mta.queue.RecipientState;
import dev.mta.queue.Settlement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Records the outcome of an attempt, in one transaction: the recipient's new state, attempts,
 * diagnosis and the notice it owes, a history row, and the removal of the message once every
 * recipient is settled and no notice is owed. The message row is locked first, so two workers
 * settling the last two recipients of one message at once are serialized and the second one
 * sees that nothing is left.
 *
 * <p>The pending notice is written in the same transaction as the settlement, so a crash can
 * never leave a bounced recipient whose failure DSN is forgotten.
 *
 * <p>Only the lease owner may settle. A lease that expired but that no other worker took over is
 * still the owner's: refusing it would only deliver the message twice. Its outcome is recorded
 * even when the operator held the recipient meanwhile (what happened, happened), except that a
 * deferral leaves it held.
 */
final class Settlements {
    private Settlements() {
    }

    enum Outcome {
        /** The caller does not hold the lease (or the recipient is gone): nothing changed. */
        NOT_HELD,
        /** Recorded; the message still has unsettled recipients or notices owed. */
        RECORDED,
        /** Recorded, and the message had nothing left to do: its rows are deleted. */
        MESSAGE_DONE
    }

    static Outcome settle(Connection connection, RecipientRef ref, String owner, Settlement settlement, Instant now)
            throws SQLException {
        return Transactions.inTransaction(connection, c -> {
            RecipientState current = MessageRows.lock(c, ref.message()) ? leasedState(c, ref, owner) : null;
            if (current == null) {
                return Outcome.NOT_HELD;
            }
            RecipientState state = switch (settlement) {
                case Settlement.Delivered delivered -> RecipientState.DELIVERED;
                // The operator held it after its lease ran out: a late deferral keeps it held.
                case Settlement.Deferred deferred ->
                        current == RecipientState.HELD ? RecipientState.HELD : RecipientState.DEFERRED;
                case Settlement.Bounced bounced -> RecipientState.BOUNCED;
            };
            NoticeKind notice = switch (settlement) {
                case Settlement.Delivered delivered -> delivered.successNotice() ? NoticeKind.SUCCESS : null;
                case Settlement.Deferred deferred -> null;
                case Settlement.Bounced bounced -> bounced.failureNotice() ? NoticeKind.FAILURE : null;
            };
            Instant nextAttempt = settlement instanceof Settlement.Deferred deferred ? deferred.nextAttempt() : null;
            try (PreparedStatement update = c.prepareStatement("""
                    UPDATE recipient SET state = ?, attempts = attempts + 1, next_attempt = ?,
                        last_status = ?, last_reply = ?, last_remote_mta = ?, last_attempt = ?, pending_notice = ?,
                        lease_owner = NULL, lease_expires = NULL
                    WHERE message_id = ? AND idx = ?""")) {
                update.setString(1, state.name());
                Timestamps.set(update, 2, nextAttempt);
                DiagnosisColumns.set(update, 3, settlement.diagnosis());
                Timestamps.set(update, 6, now);
                update.setString(7, notice == null ? null : notice.name());
                update.setString(8, ref.message().value());
                update.setInt(9, ref.index());
                update.executeUpdate();
            }
            AttemptRows.insert(c, ref, now, owner, state, settlement.diagnosis());
            if (state.isSettled() && MessageRows.isFinished(c, ref.message())) {
                MessageRows.delete(c, ref.message());
                return Outcome.MESSAGE_DONE;
            }
            return Outcome.RECORDED;
        });
    }

    /** The recipient's state when {@code owner} holds its lease and it is unsettled; null otherwise. */
    private static RecipientState leasedState(Connection connection, RecipientRef ref, String owner)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT state, lease_owner FROM recipient WHERE message_id = ? AND idx = ? FOR UPDATE")) {
            query.setString(1, ref.message().value());
            query.setInt(2, ref.index());
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next() || !owner.equals(rows.getString("lease_owner"))) {
                    return null;
                }
                RecipientState state = RecipientState.valueOf(rows.getString("state"));
                return state.isSettled() ? null : state;
            }
        }
    }
}
