package dev.mta.queue.h2;

import dev.mta.queue.KeyedRecord;
import dev.mta.queue.KeyedRecords;
import dev.mta.queue.StoreException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The keyed records in the queue's H2 database, in table {@code keyed_record}. */
final class H2KeyedRecords implements KeyedRecords {
    private final H2MessageStore store;

    H2KeyedRecords(H2MessageStore store) {
        this.store = store;
    }

    @Override
    public Optional<KeyedRecord> load(String kind, String key) throws StoreException {
        return store.withRecords("load " + kind + " " + key, connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT kind, record_key, record_value, updated FROM keyed_record WHERE kind = ? AND record_key = ?")) {
                query.setString(1, kind);
                query.setString(2, key);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() ? Optional.of(read(rows)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void save(KeyedRecord record) throws StoreException {
        store.withRecords("save " + record.kind() + " " + record.key(), connection -> {
            try (PreparedStatement merge = connection.prepareStatement(
                    "MERGE INTO keyed_record(kind, record_key, record_value, updated) KEY(kind, record_key) VALUES (?, ?, ?, ?)")) {
                merge.setString(1, record.kind());
                merge.setString(2, record.key());
                merge.setString(3, record.value());
                Timestamps.set(merge, 4, record.updated());
                merge.executeUpdate();
            }
            return null;
        });
        store.awaitDurable();
    }

    @Override
    public void remove(String kind, String key) throws StoreException {
        store.withRecords("remove " + kind + " " + key, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM keyed_record WHERE kind = ? AND record_key = ?")) {
                delete.setString(1, kind);
                delete.setString(2, key);
                delete.executeUpdate();
            }
            return null;
        });
        store.awaitDurable();
    }

    @Override
    public List<KeyedRecord> all(String kind) throws StoreException {
        return store.withRecords("list " + kind, connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT kind, record_key, record_value, updated FROM keyed_record WHERE kind = ? ORDER BY record_key")) {
                query.setString(1, kind);
                List<KeyedRecord> records = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        records.add(read(rows));
                    }
                }
                return records;
            }
        });
    }

    private static KeyedRecord read(ResultSet rows) throws java.sql.SQLException {
        return new KeyedRecord(rows.getString("kind"), rows.getString("record_key"), rows.getString("record_value"),
                Timestamps.get(rows, "updated"));
    }
}
