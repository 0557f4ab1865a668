package dev.mta.queue.h2;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The arrival of the oldest message that has a DEFERRED recipient, for the "oldest deferred age"
 * gauge, asked at every metrics scrape and so kept cheap on a large queue.
 *
 * <p>Arrival, not the first deferral: Postfix's qshape ages mail by arrival, the queue lifetime
 * (RFC 5321 4.5.4.1, bounce after 5 days) counts from it, and so an age that nears the lifetime
 * says bounces are coming; a first-deferral time is not kept anywhere either.
 *
 * <p>The plan (H2 2.5.252, {@code EXPLAIN}): the messages are walked in arrival order on the
 * index {@code message_oldest_first (received_at, id)} ("index sorted", no sort step), and for
 * each the EXISTS looks up that message's few recipient rows on the index of the foreign key
 * {@code recipient.message_id}; FETCH FIRST stops the walk at the first message with a deferred recipient. Mail
 * waits in the queue mostly because it is deferred, and new mail leaves quickly, so the walk
 * usually stops at once; it reads further only past older messages without a deferred
 * recipient (held ones, or those whose first attempt is still due). Counting from the
 * {@code recipient_due (state, next_attempt)} index instead would read every deferred
 * recipient, the bulk of a backed-up queue.
 */
final class OldestDeferred {
    static final String SQL = """
            SELECT m.received_at FROM message m
            WHERE EXISTS (SELECT 1 FROM recipient r WHERE r.message_id = m.id AND r.state = 'DEFERRED')
            ORDER BY m.received_at, m.id
            FETCH FIRST 1 ROW ONLY""";

    private OldestDeferred() {
    }

    static Optional<Instant> of(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(SQL);
             ResultSet rows = query.executeQuery()) {
            return rows.next() ? Optional.of(Timestamps.get(rows, "received_at")) : Optional.empty();
        }
    }
}
