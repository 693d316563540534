package dev.fhirbolt.terminology;

import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvStore;

/**
 * Puts and deletes collected into batches of about {@value #BATCH_BYTES} bytes, each written when it is full without
 * waiting for the disk; {@link #flush(boolean)} writes the rest (durably: with every batch before it). Used while an
 * upload and its index are written: until the CodeSystem names the upload, nothing reads these records.
 */
final class BatchedWrites {

    static final int BATCH_BYTES = 4 * 1024 * 1024;
    private static final int MAX_CHANGES = 50_000;

    private final KvStore store;
    private KvBatch batch = new KvBatch();
    private long bytes;
    private Runnable onFlush = () -> { };

    BatchedWrites(KvStore store) {
        this.store = store;
    }

    /** Hears every batch written (what was collected is now readable from the store). */
    void onFlush(Runnable listener) {
        this.onFlush = listener;
    }

    void put(Keyspace keyspace, byte[] key, byte[] value) {
        batch.put(keyspace, key, value);
        grown(key.length + value.length);
    }

    void delete(Keyspace keyspace, byte[] key) {
        batch.delete(keyspace, key);
        grown(key.length);
    }

    private void grown(int n) {
        bytes += n + 8;
        if (bytes >= BATCH_BYTES || batch.changes().size() >= MAX_CHANGES) {
            flush(false);
        }
    }

    /** Writes what is collected; durably makes every earlier batch durable too. */
    void flush(boolean durable) {
        if (!batch.isEmpty()) {
            store.write(batch, durable);
        }
        batch = new KvBatch();
        bytes = 0;
        onFlush.run();
    }
}
