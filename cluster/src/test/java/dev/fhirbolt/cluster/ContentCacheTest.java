package dev.fhirbolt.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.contentstore.ContentStore;
import dev.fhirbolt.contentstore.ContentStoreUnavailableException;
import dev.fhirbolt.database.Commit;
import dev.fhirbolt.database.DerivedEntries;
import dev.fhirbolt.database.Expectation;
import dev.fhirbolt.database.Replication;
import dev.fhirbolt.database.VersionedBody;
import dev.fhirbolt.database.Write;
import dev.fhirbolt.database.WriteMethod;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The content cache over a content store: a miss fetches the whole command once and keeps every body of it, what a
 * node applied is there without a fetch, and a fetch that fails is a 503 that the next read tries again. The store is
 * an in-memory stand-in that can be switched off (the Cassandra engine's own failures are tested in its module).
 */
class ContentCacheTest {

    static final Function<byte[], VersionedBody> BODIES = template -> new VersionedBody() {
        @Override
        public byte[] stamp(long version, Instant lastUpdated) {
            return (new String(template, StandardCharsets.UTF_8) + "|" + version + "|" + lastUpdated)
                    .getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public Optional<byte[]> template() {
            return Optional.of(template);
        }
    };

    /** Values in memory; {@code down} makes every request fail as an unreachable store's do. */
    static final class SwitchableStore implements ContentStore {
        final Map<String, byte[]> values = new ConcurrentHashMap<>();
        final AtomicInteger gets = new AtomicInteger();
        volatile boolean down;

        @Override
        public CompletableFuture<Void> put(byte[] key, byte[] value) {
            values.put(java.util.HexFormat.of().formatHex(key), value);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Optional<byte[]>> get(byte[] key) {
            gets.incrementAndGet();
            if (down) {
                return CompletableFuture.failedFuture(new ContentStoreUnavailableException("not enough replicas", null));
            }
            return CompletableFuture.completedFuture(Optional.ofNullable(
                    values.get(java.util.HexFormat.of().formatHex(key))));
        }

        @Override
        public CompletableFuture<Void> delete(byte[] key) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
        }
    }

    final SwitchableStore store = new SwitchableStore();
    final LogCodec codec = new LogCodec(BODIES);

    /** A command writing Patient/p0..: stored as the writer stores it; answers its key. */
    private byte[] storedCommand(int count) {
        List<Write> writes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            writes.add(new Write(WriteMethod.CREATE, "Patient", "p" + i, Expectation.ABSENT,
                    BODIES.apply(("{\"id\":\"p" + i + "\"}").getBytes(StandardCharsets.UTF_8)), DerivedEntries.NONE));
        }
        writes.add(Write.delete("Patient", "gone", Expectation.ANY));
        byte[] command = codec.encode(new LogCommand.ResourceCommit("r", new Commit(writes,
                new Replication(-1, Instant.EPOCH, Replication.UNPLANNED, Set.of()))));
        byte[] key = LogWriter.sha256(command);
        store.put(key, command).join();
        return key;
    }

    private static String read(ContentCache cache, byte[] key, int index, long version) {
        return new String(cache.resolve(new ContentRef(key, index).encode(), version, Instant.EPOCH),
                StandardCharsets.UTF_8);
    }

    @Test
    void aMissFetchesTheWholeCommandOnce() {
        byte[] key = storedCommand(3);
        ContentCache cache = new ContentCache(store, BODIES, 1 << 20);
        assertEquals("{\"id\":\"p1\"}|4|" + Instant.EPOCH, read(cache, key, 1, 4));
        assertEquals("{\"id\":\"p0\"}|1|" + Instant.EPOCH, read(cache, key, 0, 1));
        assertEquals("{\"id\":\"p2\"}|1|" + Instant.EPOCH, read(cache, key, 2, 1));
        assertEquals(1, store.gets.get());
        assertEquals(1, cache.stats().misses());
        assertEquals(2, cache.stats().hits());
    }

    @Test
    void whatANodeAppliedIsReadWithoutAFetch() {
        byte[] key = storedCommand(2);
        ContentCache cache = new ContentCache(store, BODIES, 1 << 20);
        LogCommand.ResourceCommit command = (LogCommand.ResourceCommit) codec.decode(
                store.values.get(java.util.HexFormat.of().formatHex(key)));
        Commit referenced = cache.referenced(key, 0, command.commit());
        assertEquals(new ContentRef(key, 1).encode().length,
                referenced.writes().get(1).body().reference().orElseThrow().length);
        assertEquals(null, referenced.writes().get(2).body(), "a deletion has no contents");
        assertEquals("{\"id\":\"p1\"}|2|" + Instant.EPOCH, read(cache, key, 1, 2));
        assertEquals(0, store.gets.get());
    }

    @Test
    void anUnavailableStoreIsA503AndTheNextReadTriesAgain() {
        byte[] key = storedCommand(1);
        ContentCache cache = new ContentCache(store, BODIES, 0); // no cache: every read fetches
        store.down = true;
        FhirException e = assertThrows(FhirException.class, () -> read(cache, key, 0, 1));
        assertEquals(503, e.status());
        assertEquals(1, cache.stats().fetchFailures());
        store.down = false;
        assertEquals("{\"id\":\"p0\"}|1|" + Instant.EPOCH, read(cache, key, 0, 1));
        assertEquals("{\"id\":\"p0\"}|1|" + Instant.EPOCH, read(cache, key, 0, 1));
        assertEquals(3, store.gets.get());
    }

    @Test
    void aMissingCommandIsA503() {
        ContentCache cache = new ContentCache(store, BODIES, 1 << 20);
        FhirException e = assertThrows(FhirException.class, () -> read(cache, new byte[32], 0, 1));
        assertEquals(503, e.status());
    }
}
