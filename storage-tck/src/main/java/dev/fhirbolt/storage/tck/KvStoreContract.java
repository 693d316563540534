package dev.fhirbolt.storage.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.Keyspace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every storage engine must do. An engine's test class extends this and opens a fresh store; the same
 * assertions then hold for RocksDB, Cassandra or anything else behind the SPI.
 */
public abstract class KvStoreContract {

    protected static final Keyspace A = new Keyspace("tck-a");
    protected static final Keyspace B = new Keyspace("tck-b");

    protected KvStore store;

    /** A new, empty store with keyspaces A and B. */
    protected abstract KvStore openFresh(List<Keyspace> keyspaces) throws Exception;

    /** Closes and reopens the same store (to check persistence). */
    protected abstract KvStore reopen(List<Keyspace> keyspaces) throws Exception;

    /** Opens, as a store of its own, the copy that {@link KvStore#checkpoint} wrote into {@code directory}. */
    protected abstract KvStore openCheckpoint(java.nio.file.Path directory, List<Keyspace> keyspaces) throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openFresh(List.of(A, B));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void checkpointHoldsWhatWasWrittenBeforeItAndNothingAfter() throws Exception {
        store.write(new KvBatch().put(A, b("k"), b("1")).put(B, b("k"), b("2")), true);
        java.nio.file.Path parent = java.nio.file.Files.createTempDirectory("tck-checkpoint");
        java.nio.file.Path copyDir = parent.resolve("copy");
        store.checkpoint(copyDir);
        store.write(new KvBatch().put(A, b("k"), b("changed")).put(A, b("later"), b("3")), true);
        try (KvStore copy = openCheckpoint(copyDir, List.of(A, B))) {
            assertArrayEquals(b("1"), copy.get(A, b("k")).orElseThrow());
            assertArrayEquals(b("2"), copy.get(B, b("k")).orElseThrow());
            assertTrue(copy.get(A, b("later")).isEmpty());
            copy.write(new KvBatch().put(B, b("k"), b("copy's own")), true);
        }
        assertArrayEquals(b("changed"), store.get(A, b("k")).orElseThrow());
        assertArrayEquals(b("2"), store.get(B, b("k")).orElseThrow());
    }

    @Test
    void putGetDeleteAcrossKeyspaces() {
        store.write(new KvBatch().put(A, b("k"), b("1")).put(B, b("k"), b("2")), true);
        assertArrayEquals(b("1"), store.get(A, b("k")).orElseThrow());
        assertArrayEquals(b("2"), store.get(B, b("k")).orElseThrow());
        store.write(new KvBatch().delete(A, b("k")), true);
        assertTrue(store.get(A, b("k")).isEmpty());
        assertTrue(store.get(B, b("k")).isPresent());
    }

    @Test
    void keysAreOrderedAsUnsignedBytes() {
        KvBatch batch = new KvBatch();
        for (long n : new long[] {5, -3, 1L << 40, 0, 255, 256}) {
            batch.put(A, Bytes.sortableLong(n), b("v"));
        }
        batch.put(B, new byte[] {(byte) 0xFF}, b("high")).put(B, new byte[] {0x01}, b("low"));
        store.write(batch, false);
        List<Long> seen = new ArrayList<>();
        try (KvSnapshot snapshot = store.snapshot(); KvCursor cursor = snapshot.cursor(A)) {
            for (cursor.seekToFirst(); cursor.isValid(); cursor.next()) {
                seen.add(Bytes.readSortableLong(cursor.key(), 0));
            }
        }
        assertEquals(List.of(-3L, 0L, 5L, 255L, 256L, 1L << 40), seen);
        try (KvSnapshot snapshot = store.snapshot(); KvCursor cursor = snapshot.cursor(B)) {
            cursor.seekToLast();
            assertArrayEquals(b("high"), cursor.value());
        }
    }

    @Test
    void cursorSeeksBothWays() {
        store.write(new KvBatch().put(A, b("a1"), b("1")).put(A, b("a3"), b("3")).put(A, b("b1"), b("4")), false);
        try (KvSnapshot snapshot = store.snapshot(); KvCursor cursor = snapshot.cursor(A)) {
            cursor.seek(b("a2"));
            assertArrayEquals(b("a3"), cursor.key());
            cursor.seekForPrev(b("a2"));
            assertArrayEquals(b("a1"), cursor.key());
            cursor.prev();
            assertFalse(cursor.isValid());
            cursor.seekForPrev(b("zz"));
            assertArrayEquals(b("b1"), cursor.key());
            cursor.seek(b("c"));
            assertFalse(cursor.isValid());
        }
    }

    @Test
    void snapshotsAreIsolatedFromLaterWrites() {
        store.write(new KvBatch().put(A, b("x"), b("old")), false);
        try (KvSnapshot snapshot = store.snapshot()) {
            store.write(new KvBatch().put(A, b("x"), b("new")).put(A, b("y"), b("added")), false);
            assertArrayEquals(b("old"), snapshot.get(A, b("x")).orElseThrow());
            assertTrue(snapshot.get(A, b("y")).isEmpty());
            try (KvCursor cursor = snapshot.cursor(A)) {
                int count = 0;
                for (cursor.seekToFirst(); cursor.isValid(); cursor.next()) {
                    count++;
                }
                assertEquals(1, count);
            }
        }
        assertArrayEquals(b("new"), store.get(A, b("x")).orElseThrow());
    }

    @Test
    void durableWritesSurviveReopen() throws Exception {
        store.write(new KvBatch().put(A, b("durable"), b("yes")), true);
        store = reopen(List.of(A, B));
        assertArrayEquals(b("yes"), store.get(A, b("durable")).orElseThrow());
    }

    @Test
    void batchesApplyInOrder() {
        store.write(new KvBatch().put(A, b("k"), b("first")).delete(A, b("k")).put(A, b("k"), b("last")), false);
        assertArrayEquals(b("last"), store.get(A, b("k")).orElseThrow());
    }

    protected static byte[] b(String s) {
        return Bytes.utf8(s);
    }
}
