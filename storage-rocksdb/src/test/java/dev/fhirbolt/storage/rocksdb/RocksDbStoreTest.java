package dev.fhirbolt.storage.rocksdb;

import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.tck.KvStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

class RocksDbStoreTest extends KvStoreContract {

    private Path dir;

    @Override
    protected KvStore openFresh(List<Keyspace> keyspaces) throws Exception {
        dir = Files.createTempDirectory("rocksdb-tck");
        return new RocksDbEngine(dir, 8 << 20).open(keyspaces);
    }

    @Override
    protected KvStore reopen(List<Keyspace> keyspaces) {
        store.close();
        return new RocksDbEngine(dir, 8 << 20).open(keyspaces);
    }

    @Override
    protected KvStore openCheckpoint(Path directory, List<Keyspace> keyspaces) {
        return new RocksDbEngine(directory, 8 << 20).open(keyspaces);
    }
}
