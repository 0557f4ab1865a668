package dev.mta.queue.h2;

import dev.mta.queue.QueueId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Makes waiting recipients due now, as Postfix's {@code postqueue -f} and {@code -i} do: QUEUED
 * and DEFERRED recipients without a live lease get a next attempt no later than now. HELD
 * recipients wait for their release; a leased one is being attempted already. The attempt count
 * stays, so the back-off after the next failure goes on where it was.
 */
final class Flush {
    private static final String WAITING = "state IN ('QUEUED', 'DEFERRED') AND (lease_expires IS NULL OR lease_expires <= ?)";

    private Flush() {
    }

    /** Returns how many recipients are due at {@code now} afterwards, those already due included. */
    static int makeDue(Connection connection, Optional<QueueId> message, Instant now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE recipient SET next_attempt = CASE WHEN next_attempt IS NULL OR next_attempt > ? THEN ?"
                        + " ELSE next_attempt END WHERE " + WAITING + (message.isPresent() ? " AND message_id = ?" : ""))) {
            Timestamps.set(update, 1, now);
            Timestamps.set(update, 2, now);
            Timestamps.set(update, 3, now);
            if (message.isPresent()) {
                update.setString(4, message.get().value());
            }
            return update.executeUpdate();
        }
    }
}
