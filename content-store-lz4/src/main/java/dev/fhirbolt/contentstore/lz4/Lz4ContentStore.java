package dev.fhirbolt.contentstore.lz4;

import dev.fhirbolt.contentstore.ContentStore;
import dev.fhirbolt.contentstore.ContentStoreUnavailableException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A content store that compresses every value with LZ4 before it hands it to another content store, and decompresses
 * it when read ({@link StoredValue} is the format). Values stored in the underlying store before (uncompressed) are
 * read as they are, so a cluster switched to it keeps its data. Keys are unchanged: a key still names the value as
 * the caller gave it (the SHA-256 of a log command names the command, not its compressed bytes).
 *
 * <p>Why: FHIR JSON and the log commands that carry it shrink four to eight times, and every byte a content store
 * keeps is written by each replica to its commit log and memtable, sent between the replicas, flushed and compacted.
 * Compressing once on the writing node saves that work on every replica and every fetch.
 */
public final class Lz4ContentStore implements ContentStore {

    private final ContentStore store;

    public Lz4ContentStore(ContentStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public CompletableFuture<Void> put(byte[] key, byte[] value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return store.put(key, StoredValue.encode(value));
    }

    @Override
    public CompletableFuture<Optional<byte[]>> get(byte[] key) {
        Objects.requireNonNull(key, "key");
        return store.get(key).thenApply(stored -> stored.map(bytes -> {
            try {
                return StoredValue.decode(bytes);
            } catch (IllegalArgumentException e) {
                throw new ContentStoreUnavailableException("the value under a content key cannot be read: "
                        + e.getMessage(), e);
            }
        }));
    }

    @Override
    public CompletableFuture<Void> delete(byte[] key) {
        return store.delete(key);
    }

    @Override
    public void close() {
        store.close();
    }
}
