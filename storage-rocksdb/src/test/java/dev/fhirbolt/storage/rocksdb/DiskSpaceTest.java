package dev.fhirbolt.storage.rocksdb;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.StorageFullException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes that would leave less free disk than the reserve are refused before RocksDB sees them. */
class DiskSpaceTest {

    static final Keyspace KS = new Keyspace("ks");

    @TempDir
    Path dir;

    @Test
    void aWriteBelowTheReserveIsRefusedAndNothingOfItIsStored() {
        long free = dir.toFile().getUsableSpace();
        try (KvStore store = new RocksDbEngine(dir.resolve("db"), 8 << 20).withMinFreeBytes(free * 2)
                .open(List.of(KS))) {
            StorageFullException e = assertThrows(StorageFullException.class,
                    () -> store.write(new KvBatch().put(KS, new byte[] {1}, new byte[] {2}), true));
            assertTrue(e.getMessage().contains("min-free-disk-mb"), e.getMessage());
            assertTrue(store.get(KS, new byte[] {1}).isEmpty());
        }
    }

    @Test
    void aWriteAboveTheReserveGoesThrough() {
        try (KvStore store = new RocksDbEngine(dir.resolve("db"), 8 << 20).withMinFreeBytes(1)
                .open(List.of(KS))) {
            store.write(new KvBatch().put(KS, new byte[] {1}, new byte[] {2}), true);
            assertTrue(store.get(KS, new byte[] {1}).isPresent());
        }
    }
}
