package dev.mta.server.tlsrpt;

import dev.mta.queue.KeyedRecord;
import dev.mta.queue.KeyedRecords;
import dev.mta.queue.StoreException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The queue's real keyed records, with writes that fail while a test says so: a full or failing
 * disk on demand, which a real H2 file cannot be made to do at a chosen moment.
 */
final class FaultyRecords implements KeyedRecords {
    private final KeyedRecords records;
    volatile boolean failSaves;
    volatile boolean failRemovals;

    FaultyRecords(KeyedRecords records) {
        this.records = records;
    }

    @Override
    public Optional<KeyedRecord> load(String kind, String key) throws StoreException {
        return records.load(kind, key);
    }

    @Override
    public void save(KeyedRecord record) throws StoreException {
        if (failSaves) {
            throw new StoreException("cannot save " + record.key(), new IOException("No space left on device"), true);
        }
        records.save(record);
    }

    @Override
    public void remove(String kind, String key) throws StoreException {
        if (failRemovals) {
            throw new StoreException("cannot remove " + key, new IOException("Input/output error"));
        }
        records.remove(kind, key);
    }

    @Override
    public List<KeyedRecord> all(String kind) throws StoreException {
        return records.all(kind);
    }
}
