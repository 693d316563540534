package dev.fhirbolt.storage;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The storage SPI: a set of named keyspaces, each an ordered map from byte-string keys to byte-string values.
 *
 * <p>Everything Fhirbolt persists (resource versions, history, the change feed, search indexes, auth state) is
 * laid out on top of this contract by engine-agnostic code, so an engine only has to provide ordered keys,
 * atomic multi-keyspace batches and consistent snapshots. Keys compare as unsigned bytes, lexicographically.
 */
public interface KvStore extends AutoCloseable {

    /** The latest committed value of a key. */
    Optional<byte[]> get(Keyspace keyspace, byte[] key);

    /** A consistent point-in-time view; a batch is either entirely visible in it or not at all. */
    KvSnapshot snapshot();

    /**
     * Applies every put and delete of the batch atomically. When {@code durable} is true the call returns only
     * after the batch survives a crash of the process (and, where the engine can, of the machine), unless the engine
     * was opened for an offline bulk load, where writes become durable at {@link #close()}.
     */
    void write(KvBatch batch, boolean durable);

    /**
     * Writes a copy of every keyspace, as of one moment and with every batch whole, into the new directory
     * {@code target} (which must not exist yet), while reads and writes go on. The engine can open the copy as a store
     * of its own: that is a backup. Where the engine can, the copy shares the store's immutable files (hard links on
     * the same file system) instead of copying them.
     */
    void checkpoint(Path target);

    /**
     * The engine's figures about itself, for metrics, under names any engine may use where it has the figure:
     * {@code memtable-bytes}, {@code live-data-bytes}, {@code sst-files-bytes}, {@code pending-compaction-bytes},
     * {@code running-compactions}, {@code running-flushes}, {@code estimated-keys}, {@code block-cache-bytes} (current
     * values) and {@code block-cache-hits}, {@code block-cache-misses}, {@code compaction-read-bytes},
     * {@code compaction-write-bytes}, {@code flush-write-bytes} (counts since the store was opened). An engine leaves
     * out what it does not know.
     */
    java.util.Map<String, Long> statistics();

    /** Flushes buffered state and releases every resource; the store is unusable afterwards. */
    @Override
    void close();
}
