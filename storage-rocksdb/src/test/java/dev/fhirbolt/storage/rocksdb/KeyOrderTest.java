package dev.fhirbolt.storage.rocksdb;

import static org.junit.jupiter.api.Assertions.assertSame;

import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.KvBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyOrderTest {

    private static final Keyspace KEYSPACE = new Keyspace("k");

    @Test
    void ordersByUnsignedKeyAndKeepsTheOrderOfEqualKeys() {
        Random random = new Random(42);
        for (int n : new int[] {0, 1, 2, 31, 32, 33, 100, 1_000, 20_000, 100_000}) {
            KvBatch.Change[] changes = new KvBatch.Change[n + 10];
            for (int i = 0; i < changes.length; i++) {
                // a small alphabet, so that many keys are equal or share long prefixes (zero bytes among them, which
                // must sort after a key's end); bytes above 127 check the unsigned order
                byte[] key = new byte[random.nextInt(14)];
                for (int b = 0; b < key.length; b++) {
                    key[b] = (byte) (random.nextBoolean() ? random.nextInt(2) : 254 + random.nextInt(2));
                }
                changes[i] = new KvBatch.Change(KEYSPACE, key, new byte[] {(byte) i});
            }
            List<KvBatch.Change> expected = new ArrayList<>(Arrays.asList(changes).subList(5, 5 + n));
            expected.sort((a, b) -> Arrays.compareUnsigned(a.key(), b.key())); // List.sort is stable
            KvBatch.Change[] before = changes.clone();

            KeyOrder.sort(changes, 5, 5 + n);

            for (int i = 0; i < n; i++) {
                assertSame(expected.get(i), changes[5 + i], "n=" + n + " position " + i);
            }
            for (int i : new int[] {0, 1, 2, 3, 4, n + 5, n + 6, n + 7, n + 8, n + 9}) {
                assertSame(before[i], changes[i], "outside the range, n=" + n);
            }
        }
    }
}
