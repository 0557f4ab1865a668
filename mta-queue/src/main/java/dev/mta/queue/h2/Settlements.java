package dev.mta.queue.h2;

import dev.mta.queue.RecipientRef;
import dev.mta.queue.RecipientState;
import dev.mta.queue.Settlement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Records the outcome of an attempt, in one transaction: the recipient's new state, attempts
 * and last reply, a history row, and the removal of the message once every recipient is
 * settled. The message row is locked first, so two workers settling the last two recipients of
 * one message at once are serialized and the second one sees that nothing is left.
 *
 * <p>Only the lease owner may settle. A lease that expired but that no other worker took over is
 * still the owner's: refusing it would only deliver the message twice.
 */
final class Settlements {
    private Settlements() {
    }

    enum Outcome {
        /** The caller does not hold the lease (or the recipient is gone): nothing changed. */
        NOT_HELD,
        /** Recorded; the message still has unsettled recipients. */
        RECORDED,
        /** Recorded, and it was the last unsettled recipient: the message rows are deleted. */
        MESSAGE_DONE
    }

    static Outcome settle(Connection connection, RecipientRef ref, String owner, Settlement settlement, Instant now)
            throws SQLException {
        return Transactions.inTransaction(connection, c -> {
            if (!lockMessage(c, ref) || !holdsLease(c, ref, owner)) {
                return Outcome.NOT_HELD;
            }
            RecipientState state = switch (settlement) {
                case Settlement.Delivered delivered -> RecipientState.DELIVERED;
                case Settlement.Deferred deferred -> RecipientState.DEFERRED;
                case Settlement.Bounced bounced -> RecipientState.BOUNCED;
            };
            Instant nextAttempt = settlement instanceof Settlement.Deferred deferred ? deferred.nextAttempt() : null;
            try (PreparedStatement update = c.prepareStatement("""
                    UPDATE recipient SET state = ?, attempts = attempts + 1, next_attempt = ?, last_reply = ?,
                        lease_owner = NULL, lease_expires = NULL
                    WHERE message_id = ? AND idx = ?""")) {
                update.setString(1, state.name());
                Timestamps.set(update, 2, nextAttempt);
                update.setString(3, settlement.reply());
                update.setString(4, ref.message().value());
                update.setInt(5, ref.index());
                update.executeUpdate();
            }
            AttemptRows.insert(c, ref, now, owner, state, settlement.reply());
            if (state.isSettled() && unsettledRecipients(c, ref) == 0) {
                MessageRows.delete(c, ref.message());
                return Outcome.MESSAGE_DONE;
            }
            return Outcome.RECORDED;
        });
    }

    private static boolean lockMessage(Connection connection, RecipientRef ref) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT id FROM message WHERE id = ? FOR UPDATE")) {
            query.setString(1, ref.message().value());
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static boolean holdsLease(Connection connection, RecipientRef ref, String owner) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT state, lease_owner FROM recipient WHERE message_id = ? AND idx = ? FOR UPDATE")) {
            query.setString(1, ref.message().value());
            query.setInt(2, ref.index());
            try (ResultSet rows = query.executeQuery()) {
                return rows.next()
                        && !RecipientState.valueOf(rows.getString("state")).isSettled()
                        && owner.equals(rows.getString("lease_owner"));
            }
        }
    }

    private static int unsettledRecipients(Connection connection, RecipientRef ref) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT COUNT(*) FROM recipient WHERE message_id = ? AND state NOT IN ('DELIVERED', 'BOUNCED')")) {
            query.setString(1, ref.message().value());
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
