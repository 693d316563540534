package dev.fhirbolt.storage.rocksdb;

import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.tck.KvStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A bulk-loading store keeps the whole contract; what it writes is durable once it is closed. */
class BulkLoadStoreTest extends KvStoreContract {

    private Path dir;

    @Override
    protected KvStore openFresh(List<Keyspace> keyspaces) throws Exception {
        dir = Files.createTempDirectory("rocksdb-bulk-tck");
        return new RocksDbEngine(dir, 8 << 20, RocksDbEngine.Mode.BULK_LOAD).open(keyspaces);
    }

    @Override
    protected KvStore reopen(List<Keyspace> keyspaces) {
        store.close();
        return new RocksDbEngine(dir, 8 << 20, RocksDbEngine.Mode.BULK_LOAD).open(keyspaces);
    }

    /** A bulk load's checkpoint (its memtables flushed first) opens as a serving store. */
    @Override
    protected KvStore openCheckpoint(Path directory, List<Keyspace> keyspaces) {
        return new RocksDbEngine(directory, 8 << 20).open(keyspaces);
    }
}
