package dev.mta.queue.h2;

import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.MessageDetail;
import dev.mta.queue.MessageSummary;
import dev.mta.queue.NoticeKind;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientState;
import dev.mta.queue.RecipientStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads and writes a message's envelope row and its recipient rows. */
final class MessageRows {
    private MessageRows() {
    }

    /** Inserts the message and its recipients, all QUEUED and due at {@code queuedAt}. */
    static void insert(Connection connection, QueueId id, Envelope envelope, long size, Instant queuedAt)
            throws SQLException {
        try (PreparedStatement message = connection.prepareStatement("""
                INSERT INTO message(id, sender, body_type, smtp_utf8, dsn_return, dsn_envelope_id,
                    client_address, client_helo, client_user, received_at, queued_at, body_size, origin, require_tls)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            message.setString(1, id.value());
            message.setString(2, envelope.sender());
            message.setString(3, envelope.bodyType().name());
            message.setBoolean(4, envelope.smtpUtf8());
            message.setString(5, envelope.dsnReturn().map(Enum::name).orElse(null));
            message.setString(6, envelope.dsnEnvelopeId().orElse(null));
            message.setString(7, envelope.client().address());
            message.setString(8, envelope.client().heloName());
            message.setString(9, envelope.client().authenticatedUser().orElse(null));
            Timestamps.set(message, 10, envelope.receivedAt());
            Timestamps.set(message, 11, queuedAt);
            message.setLong(12, size);
            message.setString(13, envelope.origin().name());
            message.setBoolean(14, envelope.requireTls());
            message.executeUpdate();
        }
        try (PreparedStatement recipient = connection.prepareStatement("""
                INSERT INTO recipient(message_id, idx, address, notify, original_recipient, state, attempts, next_attempt)
                VALUES (?, ?, ?, ?, ?, ?, 0, ?)""")) {
            List<EnvelopeRecipient> recipients = envelope.recipients();
            for (int index = 0; index < recipients.size(); index++) {
                EnvelopeRecipient r = recipients.get(index);
                recipient.setString(1, id.value());
                recipient.setInt(2, index);
                recipient.setString(3, r.address());
                recipient.setString(4, r.notifyOn().stream().map(Enum::name).sorted().collect(Collectors.joining(",")));
                recipient.setString(5, r.originalRecipient().orElse(null));
                recipient.setString(6, RecipientState.QUEUED.name());
                Timestamps.set(recipient, 7, queuedAt);
                recipient.addBatch();
            }
            recipient.executeBatch();
        }
    }

    /** Deletes the message with its recipients and attempts; true when it existed. */
    static boolean delete(Connection connection, QueueId id) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM message WHERE id = ?")) {
            delete.setString(1, id.value());
            return delete.executeUpdate() > 0;
        }
    }

    static Set<QueueId> allIds(Connection connection) throws SQLException {
        Set<QueueId> ids = new HashSet<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM message")) {
            while (rows.next()) {
                ids.add(new QueueId(rows.getString(1)));
            }
        }
        return ids;
    }

    static Optional<MessageDetail> find(Connection connection, QueueId id) throws SQLException {
        Optional<Stored> stored = stored(connection, id);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        List<RecipientStatus> statuses = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT * FROM recipient WHERE message_id = ? ORDER BY idx")) {
            query.setString(1, id.value());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    statuses.add(status(rows));
                }
            }
        }
        if (statuses.isEmpty()) {
            return Optional.empty(); // removed between the two reads, as in stored()
        }
        return Optional.of(new MessageDetail(id, stored.get().envelope(), stored.get().size(), statuses));
    }

    /** Every message in the queue with all its recipients, settled ones included, oldest first. */
    static List<MessageSummary> list(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT m.id, m.sender, m.body_size, m.received_at, r.*
                     FROM message m JOIN recipient r ON r.message_id = m.id
                     ORDER BY m.received_at, m.id, r.idx""")) {
            return summaries(rows);
        }
    }

    /** The messages with a recipient matching {@code selection}, with all their recipients, oldest first. */
    static List<MessageSummary> list(Connection connection, SelectionSql selection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT m.id, m.sender, m.body_size, m.received_at, r.*
                FROM message m JOIN recipient r ON r.message_id = m.id
                WHERE m.id IN (SELECT r.message_id FROM recipient r WHERE %s)
                ORDER BY m.received_at, m.id, r.idx""".formatted(selection.condition()))) {
            selection.bind(query, 1);
            try (ResultSet rows = query.executeQuery()) {
                return summaries(rows);
            }
        }
    }

    private static List<MessageSummary> summaries(ResultSet rows) throws SQLException {
        Map<String, SummaryBuilder> messages = new LinkedHashMap<>();
        while (rows.next()) {
            String id = rows.getString("id");
            SummaryBuilder builder = messages.get(id);
            if (builder == null) {
                builder = new SummaryBuilder(new QueueId(id), rows.getString("sender"), rows.getLong("body_size"),
                        Timestamps.get(rows, "received_at"));
                messages.put(id, builder);
            }
            builder.recipients.add(status(rows));
        }
        return messages.values().stream().map(SummaryBuilder::build).toList();
    }

    /** The envelope as the SMTP transaction gave it (recipients in their original order) and the body size. */
    static Optional<Stored> stored(Connection connection, QueueId id) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT * FROM message WHERE id = ?")) {
            query.setString(1, id.value());
            try (ResultSet message = query.executeQuery()) {
                if (!message.next()) {
                    return Optional.empty();
                }
                List<EnvelopeRecipient> recipients = new ArrayList<>();
                try (PreparedStatement recipientQuery = connection.prepareStatement(
                        "SELECT address, notify, original_recipient FROM recipient WHERE message_id = ? ORDER BY idx")) {
                    recipientQuery.setString(1, id.value());
                    try (ResultSet rows = recipientQuery.executeQuery()) {
                        while (rows.next()) {
                            recipients.add(new EnvelopeRecipient(rows.getString("address"), notify(rows.getString("notify")),
                                    Optional.ofNullable(rows.getString("original_recipient"))));
                        }
                    }
                }
                if (recipients.isEmpty()) {
                    // Each read sees its own committed state: the message's removal (message and
                    // recipients in one transaction) committed between the two. It is gone.
                    return Optional.empty();
                }
                return Optional.of(new Stored(new Envelope(
                        message.getString("sender"),
                        recipients,
                        Envelope.BodyType.valueOf(message.getString("body_type")),
                        message.getBoolean("smtp_utf8"),
                        Optional.ofNullable(message.getString("dsn_return")).map(Envelope.DsnReturn::valueOf),
                        Optional.ofNullable(message.getString("dsn_envelope_id")),
                        new Envelope.ClientInfo(message.getString("client_address"), message.getString("client_helo"),
                                Optional.ofNullable(message.getString("client_user"))),
                        Timestamps.get(message, "received_at"),
                        Envelope.Origin.valueOf(message.getString("origin")),
                        message.getBoolean("require_tls")), message.getLong("body_size")));
            }
        }
    }

    /** A message as stored: its envelope and the size of its body. */
    record Stored(Envelope envelope, long size) {
    }

    private static Set<EnvelopeRecipient.Notify> notify(String stored) {
        if (stored.isEmpty()) {
            return Set.of();
        }
        EnumSet<EnvelopeRecipient.Notify> set = EnumSet.noneOf(EnvelopeRecipient.Notify.class);
        Arrays.stream(stored.split(",")).map(EnvelopeRecipient.Notify::valueOf).forEach(set::add);
        return set;
    }

    private static RecipientStatus status(ResultSet rows) throws SQLException {
        RecipientState state = RecipientState.valueOf(rows.getString("state"));
        return new RecipientStatus(
                rows.getInt("idx"),
                rows.getString("address"),
                state,
                rows.getInt("attempts"),
                state.isSettled() ? Optional.empty() : Timestamps.optional(rows, "next_attempt"),
                Timestamps.optional(rows, "last_attempt"),
                DiagnosisColumns.LAST.read(rows),
                Optional.ofNullable(rows.getString("pending_notice")).map(NoticeKind::valueOf),
                rows.getBoolean("delay_warned"));
    }

    /**
     * Whether the message has nothing left to do: every recipient settled and no notice owed.
     * Only then may it be removed (a DSN quotes the body).
     */
    static boolean isFinished(Connection connection, QueueId id) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT COUNT(*) FROM recipient
                WHERE message_id = ? AND (state NOT IN ('DELIVERED', 'BOUNCED') OR pending_notice IS NOT NULL)""")) {
            query.setString(1, id.value());
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1) == 0;
            }
        }
    }

    /** Locks the message row until the transaction ends; false when there is no such message. */
    static boolean lock(Connection connection, QueueId id) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT id FROM message WHERE id = ? FOR UPDATE")) {
            query.setString(1, id.value());
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static final class SummaryBuilder {
        final QueueId id;
        final String sender;
        final long size;
        final Instant receivedAt;
        final List<RecipientStatus> recipients = new ArrayList<>();

        SummaryBuilder(QueueId id, String sender, long size, Instant receivedAt) {
            this.id = id;
            this.sender = sender;
            this.size = size;
            this.receivedAt = receivedAt;
        }

        MessageSummary build() {
            return new MessageSummary(id, sender, size, receivedAt, List.copyOf(recipients));
        }
    }
}
