package dev.fhirbolt.storage.rocksdb;

import dev.fhirbolt.storage.KvEngine;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.Keyspace;
import java.nio.file.Path;
import java.util.Collection;

/** The embedded default engine: one RocksDB database in one directory, a column family per keyspace. */
public final class RocksDbEngine implements KvEngine {

    private final Path directory;
    private final long blockCacheBytes;

    public RocksDbEngine(Path directory, long blockCacheBytes) {
        this.directory = directory;
        this.blockCacheBytes = blockCacheBytes;
    }

    @Override
    public String name() {
        return "rocksdb";
    }

    @Override
    public KvStore open(Collection<Keyspace> keyspaces) {
        return RocksDbStore.open(directory, keyspaces, blockCacheBytes);
    }
}
