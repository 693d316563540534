package dev.fhirbolt.storage.rocksdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.Keyspace;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.WriteBatch;

/** The batch serialized in Java is byte for byte what RocksDB builds from the same puts and deletes. */
class WriteBatchRepTest {

    @TempDir
    Path dir;

    @Test
    void serializedBatchEqualsRocksDbsOwn() throws Exception {
        List<Keyspace> keyspaces = List.of(new Keyspace("default"), new Keyspace("a"), new Keyspace("b"),
                new Keyspace("c"));
        try (RocksDbStore store = RocksDbStore.open(dir, keyspaces, 1 << 20, RocksDbEngine.Mode.SERVING, 0)) {
            Random random = new Random(7);
            KvBatch batch = new KvBatch();
            for (int i = 0; i < 500; i++) {
                Keyspace ks = keyspaces.get(random.nextInt(keyspaces.size()));
                byte[] key = bytes(random, random.nextInt(4) == 0 ? 200 + random.nextInt(20_000) : random.nextInt(60));
                if (random.nextInt(5) == 0) {
                    batch.delete(ks, key);
                } else {
                    batch.put(ks, key, bytes(random, random.nextInt(3) == 0 ? 130 + random.nextInt(70_000)
                            : random.nextInt(10)));
                }
            }
            // a key changed twice: deleted, then put again; the put must win
            KvBatch.Change first = batch.changes().get(0);
            batch.delete(first.keyspace(), first.key());
            batch.put(first.keyspace(), first.key(), new byte[] {42});
            byte[] ours = store.serialize(batch);
            // the same changes in key order per column family, changes of one key in the order they were made
            List<KvBatch.Change> ordered = new java.util.ArrayList<>(batch.changes());
            ordered.sort(java.util.Comparator.comparingInt((KvBatch.Change c) -> id(store, c.keyspace()))
                    .thenComparing(KvBatch.Change::key, java.util.Arrays::compareUnsigned));
            try (WriteBatch theirs = new WriteBatch()) {
                for (KvBatch.Change c : ordered) {
                    if (c.isDelete()) {
                        theirs.delete(store.handle(c.keyspace()), c.key());
                    } else {
                        theirs.put(store.handle(c.keyspace()), c.key(), c.value());
                    }
                }
                assertArrayEquals(theirs.data(), ours);
                assertEquals(batch.changes().size(), theirs.count());
            }
            store.write(batch, true);
            assertArrayEquals(new byte[] {42}, store.get(first.keyspace(), first.key()).orElseThrow());
        }
    }

    private static int id(RocksDbStore store, Keyspace keyspace) {
        return store.handle(keyspace).getID();
    }

    private static byte[] bytes(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }
}
