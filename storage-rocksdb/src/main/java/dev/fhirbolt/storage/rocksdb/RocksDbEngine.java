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

    private final Path directory;
    private final long blockCacheBytes;
    private final Mode mode;

    public RocksDbEngine(Path directory, long blockCacheBytes) {
        this(directory, blockCacheBytes, Mode.SERVING);
    }

    public RocksDbEngine(Path directory, long blockCacheBytes, Mode mode) {
        this.directory = directory;
        this.blockCacheBytes = blockCacheBytes;
        this.mode = mode;
    }

    @Override
    public String name() {
        return "rocksdb";
    }

    @Override
    public KvStore open(Collection<Keyspace> keyspaces) {
        return RocksDbStore.open(directory, keyspaces, blockCacheBytes, mode);
    }
}
