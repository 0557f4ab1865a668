package dev.mta.queue;

import java.util.List;
import java.util.Optional;

/** Durable small records beside the queue (see {@link KeyedRecord}); saved and removed durably. */
public interface KeyedRecords {

    Optional<KeyedRecord> load(String kind, String key) throws StoreException;

    /** Inserts or replaces the record; synced to disk when it returns. */
    void save(KeyedRecord record) throws StoreException;

    void remove(String kind, String key) throws StoreException;

    /** Every record of a kind, by key. */
    List<KeyedRecord> all(String kind) throws StoreException;
}
