package dev.fhirbolt.contentstore;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Values shared by every node of a cluster, each written once under its key and never changed: resource contents
 * keyed by their hash, log commands too large for the log, export files. A key always names the same value, so a
 * repeated put is harmless.
 */
public interface ContentStore extends AutoCloseable {

    /**
     * Stores {@code value} (any size: large values are split by the engine) under {@code key} (at most 256 bytes).
     * Completes once durable at the configured consistency, or exceptionally with
     * {@link ContentStoreUnavailableException} within the configured timeout.
     */
    CompletableFuture<Void> put(byte[] key, byte[] value);

    /** The value under {@code key}, empty when there is none; fails like {@link #put}. */
    CompletableFuture<Optional<byte[]>> get(byte[] key);

    /** Removes the value under {@code key} (expired export files); removing what is absent is not an error. */
    CompletableFuture<Void> delete(byte[] key);

    @Override
    void close();
}
