package dev.fhirbolt.storage.rocksdb;

import dev.fhirbolt.storage.KvEngine;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.Keyspace;
import java.nio.file.Path;
import java.util.Collection;

/** The embedded default engine: one RocksDB database in one directory, a column family per keyspace. */
public final class RocksDbEngine implements KvEngine {

    /** How the database is opened: what a durable write promises, and how memory and disk are spent. */
    public enum Mode {
        /** A server's: a durable write is fsync'd to the write-ahead log before it returns (survives kill -9). */
        SERVING,
        /**
         * An offline bulk load's, while no server runs: no write-ahead log and no fsync per write. The column
         * families are flushed to SST files together (RocksDB's atomic flush, which never splits a write batch), so a
         * crash leaves the database as of its last flush: consistent, every batch in it whole, the later ones lost.
         * Everything written is durable only once {@link KvStore#close()} has returned; it fails loudly if it cannot
         * flush.
         */
        BULK_LOAD
    }

    /** Free disk space that writes leave untouched by default (see {@link #withMinFreeBytes}). */
    public static final long DEFAULT_MIN_FREE_BYTES = 64L * 1024 * 1024;

    private final Path directory;
    private final long blockCacheBytes;
    private final Mode mode;
    private final long minFreeBytes;

    public RocksDbEngine(Path directory, long blockCacheBytes) {
        this(directory, blockCacheBytes, Mode.SERVING);
    }

    public RocksDbEngine(Path directory, long blockCacheBytes, Mode mode) {
        this(directory, blockCacheBytes, mode, DEFAULT_MIN_FREE_BYTES);
    }

    private RocksDbEngine(Path directory, long blockCacheBytes, Mode mode, long minFreeBytes) {
        this.directory = directory;
        this.blockCacheBytes = blockCacheBytes;
        this.mode = mode;
        this.minFreeBytes = minFreeBytes;
    }

    /**
     * The same engine keeping at least {@code bytes} of its disk free: a write that would leave less is refused with a
     * {@link dev.fhirbolt.storage.StorageFullException} before RocksDB sees it (0: no reserve).
     */
    public RocksDbEngine withMinFreeBytes(long bytes) {
        return new RocksDbEngine(directory, blockCacheBytes, mode, bytes);
    }

    @Override
    public String name() {
        return "rocksdb";
    }

    @Override
    public KvStore open(Collection<Keyspace> keyspaces) {
        return RocksDbStore.open(directory, keyspaces, blockCacheBytes, mode, minFreeBytes);
    }
}
