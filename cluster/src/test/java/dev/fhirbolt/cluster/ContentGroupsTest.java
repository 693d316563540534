package dev.fhirbolt.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.contentstore.ContentStore;
import dev.fhirbolt.contentstore.ContentStoreUnavailableException;
import dev.fhirbolt.database.Commit;
import dev.fhirbolt.database.DerivedEntries;
import dev.fhirbolt.database.Expectation;
import dev.fhirbolt.database.Replication;
import dev.fhirbolt.database.Write;
import dev.fhirbolt.database.WriteMethod;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Commands waiting at the same moment are stored as one value: a command learns where it is only once that value is
 * stored, a failed put fails every command in it, and a node whose cache is cold reads each command's bodies back from
 * the group. The store is an in-memory stand-in whose puts finish when the test says so.
 */
class ContentGroupsTest {

    /** Values in memory; each put completes when the test completes it. */
    static final class HeldStore implements ContentStore {
        final Map<String, byte[]> values = new ConcurrentHashMap<>();
        final List<CompletableFuture<Void>> puts = new CopyOnWriteArrayList<>();
        final List<byte[]> keys = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<Void> put(byte[] key, byte[] value) {
            CompletableFuture<Void> put = new CompletableFuture<>();
            puts.add(put);
            keys.add(key);
            return put.thenRun(() -> values.put(HexFormat.of().formatHex(key), value));
        }

        @Override
        public CompletableFuture<Optional<byte[]>> get(byte[] key) {
            return CompletableFuture.completedFuture(Optional.ofNullable(values.get(HexFormat.of().formatHex(key))));
        }

        @Override
        public CompletableFuture<Void> delete(byte[] key) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
        }
    }

    final HeldStore store = new HeldStore();
    final LogCodec codec = new LogCodec(ContentCacheTest.BODIES);

    private byte[] command(String id) {
        Write write = new Write(WriteMethod.CREATE, "Patient", id, Expectation.ABSENT,
                ContentCacheTest.BODIES.apply(("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8)),
                DerivedEntries.NONE);
        return codec.encode(new LogCommand.ResourceCommit("r-" + id, new Commit(List.of(write),
                new Replication(-1, Instant.EPOCH, Replication.UNPLANNED, Set.of()))));
    }

    @Test
    void commandsArrivingWhilePutsAreUnderWayGoOutAsOneValue() throws Exception {
        ContentGroups groups = new ContentGroups(store);
        List<CompletableFuture<ContentGroups.Placement>> placed = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            placed.add(groups.put(command("p" + i)));
        }
        int alone = ContentGroups.MAX_IN_FLIGHT;
        assertEquals(alone, store.puts.size(), "the first commands go out at once, alone");
        assertFalse(placed.get(0).isDone(), "not placed before its value is stored");
        store.puts.get(0).complete(null);
        assertEquals(0, placed.get(0).get().member());
        assertArrayEquals(LogWriter.sha256(command("p0")), placed.get(0).get().key(), "alone: the command itself");
        assertEquals(alone + 1, store.puts.size(), "the ones that waited go out together");
        assertFalse(placed.get(alone).isDone());
        for (int put = 1; put <= alone; put++) {
            store.puts.get(put).complete(null);
        }
        for (int i = alone; i < 10; i++) {
            assertEquals(i - alone, placed.get(i).get().member());
            assertArrayEquals(store.keys.get(alone), placed.get(i).get().key());
        }

        ContentCache cold = new ContentCache(store, ContentCacheTest.BODIES, 1 << 20);
        for (int i = 0; i < 10; i++) {
            ContentGroups.Placement p = placed.get(i).get();
            byte[] ref = new ContentRef(p.key(), p.member(), 0).encode();
            assertEquals("{\"id\":\"p" + i + "\"}|1|" + Instant.EPOCH,
                    new String(cold.resolve(ref, 1, Instant.EPOCH), StandardCharsets.UTF_8));
        }
        assertEquals(alone + 1, cold.stats().fetches(), "one fetch per stored value");
    }

    @Test
    void aFailedPutFailsEveryCommandInItAndTheNextGoOut() {
        ContentGroups groups = new ContentGroups(store);
        List<CompletableFuture<ContentGroups.Placement>> placed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            placed.add(groups.put(command("p" + i)));
        }
        store.puts.get(0).completeExceptionally(new ContentStoreUnavailableException("too few replicas", null));
        ExecutionException e = assertThrows(ExecutionException.class, () -> placed.get(0).get());
        assertTrue(e.getCause() instanceof ContentStoreUnavailableException, e.toString());
        assertEquals(2, store.puts.size(), "the others went out together");
        assertFalse(placed.get(1).isDone());
        store.puts.get(1).completeExceptionally(new ContentStoreUnavailableException("too few replicas", null));
        for (int i = 1; i < 5; i++) {
            assertThrows(ExecutionException.class, placed.get(i)::get);
        }
        CompletableFuture<ContentGroups.Placement> after = groups.put(command("later"));
        store.puts.get(store.puts.size() - 1).complete(null);
        assertEquals(0, after.join().member(), "nothing is left held after failures");
    }

    @Test
    void aReferenceToMemberZeroIsEncodedAsBeforeGroups() {
        byte[] key = new byte[32];
        assertEquals(37, new ContentRef(key, 0, 7).encode().length);
        assertEquals(new ContentRef(key, 0, 7), ContentRef.decode(new ContentRef(key, 7).encode()));
        ContentRef member = new ContentRef(key, 300, 7);
        assertEquals(member, ContentRef.decode(member.encode()));
        LogCommand.Addressed addressed = (LogCommand.Addressed) codec.decode(codec.encode(
                new LogCommand.Addressed(key, 12, command("x"))));
        assertEquals(12, addressed.member());
        assertArrayEquals(command("x"), addressed.command());
    }
}
