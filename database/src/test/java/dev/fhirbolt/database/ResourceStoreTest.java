package dev.fhirbolt.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.rocksdb.RocksDbEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResourceStoreTest {

    static final Keyspace INDEX = new Keyspace("test-index");

    /** The test index keys its entries {@code type/id/...}, so a resource's entries are found by prefix. */
    static final DerivedKeyFinder FINDER = (snapshot, type, id, found) -> {
        byte[] prefix = Bytes.utf8(type + "/" + id + "/");
        try (KvCursor c = snapshot.cursor(INDEX)) {
            for (c.seek(prefix); c.isValid() && Bytes.startsWith(c.key(), prefix); c.next()) {
                found.accept(INDEX, c.key());
            }
        }
    };

    KvStore kv;
    ResourceStore store;

    @BeforeEach
    void open() throws Exception {
        List<Keyspace> keyspaces = new ArrayList<>(ResourceStore.keyspaces());
        keyspaces.add(INDEX);
        kv = new RocksDbEngine(Files.createTempDirectory("db-test"), 8 << 20).open(keyspaces);
        store = new ResourceStore(kv, Clock.systemUTC(), FINDER);
    }

    @AfterEach
    void close() {
        store.close();
        kv.close();
    }

    static VersionedBody json(String type, String id, String extra) {
        return (version, lastUpdated) -> ("{\"resourceType\":\"" + type + "\",\"id\":\"" + id + "\",\"v\":" + version
                + extra + "}").getBytes(StandardCharsets.UTF_8);
    }

    static Write create(String type, String id) {
        return new Write(WriteMethod.CREATE, type, id, Expectation.ABSENT, json(type, id, ""), DerivedEntries.NONE);
    }

    @Test
    void aFailedExpectationLeavesTheWholeCommitOut() {
        store.commit(Commit.of(create("Patient", "a")));
        FhirException e = assertThrows(FhirException.class, () -> store.commit(Commit.of(
                create("Patient", "b"), create("Patient", "a"))));
        assertEquals(409, e.status());
        assertTrue(store.readCurrent("Patient", "b").isEmpty(), "b must not exist: the commit was atomic");
    }

    @Test
    void concurrentCommitsAreCheckedAgainstEachOther() throws Exception {
        store.commit(Commit.of(create("Basic", "x")));
        ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            all.add(CompletableFuture.runAsync(() -> {
                try {
                    store.commit(Commit.of(new Write(WriteMethod.UPDATE, "Basic", "x", new Expectation.Version(1),
                            json("Basic", "x", ""), DerivedEntries.NONE)));
                    statuses.add(200);
                } catch (FhirException e) {
                    statuses.add(e.status());
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        assertEquals(1, statuses.stream().filter(s -> s == 200).count(), "exactly one If-Match: 1 wins");
        assertEquals(39, statuses.stream().filter(s -> s == 412).count());
        assertEquals(2, store.readCurrent("Basic", "x").orElseThrow().version());
    }

    @Test
    void derivedEntriesFollowTheCurrentVersion() {
        DerivedEntries v1 = (version, at) -> List.of(new KvEntry(INDEX, Bytes.utf8("Patient/p/name=old"), new byte[0]));
        DerivedEntries v2 = (version, at) -> List.of(new KvEntry(INDEX, Bytes.utf8("Patient/p/name=new"), new byte[0]));
        store.commit(Commit.of(new Write(WriteMethod.CREATE, "Patient", "p", Expectation.ANY, json("Patient", "p", ""),
                v1)));
        assertTrue(kv.get(INDEX, Bytes.utf8("Patient/p/name=old")).isPresent());
        store.commit(Commit.of(new Write(WriteMethod.UPDATE, "Patient", "p", Expectation.ANY, json("Patient", "p", ""),
                v2)));
        assertFalse(kv.get(INDEX, Bytes.utf8("Patient/p/name=old")).isPresent(), "stale index entry removed");
        assertTrue(kv.get(INDEX, Bytes.utf8("Patient/p/name=new")).isPresent());
        store.commit(Commit.of(Write.delete("Patient", "p", Expectation.ANY)));
        assertFalse(kv.get(INDEX, Bytes.utf8("Patient/p/name=new")).isPresent(), "deleted resources leave no index entries");
    }

    @Test
    void historyPagesNewestFirstAcrossLevels() {
        for (int i = 0; i < 5; i++) {
            store.commit(Commit.of(new Write(WriteMethod.UPDATE, "Patient", "h", Expectation.ANY,
                    json("Patient", "h", ""), DerivedEntries.NONE)));
            store.commit(Commit.of(create("Observation", "o" + i)));
        }
        HistoryPage first = store.history(new HistoryQuery(Optional.of("Patient"), Optional.of("h"), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 2));
        assertEquals(List.of(5L, 4L), first.versions().stream().map(ResourceVersion::version).toList());
        HistoryPage second = store.history(new HistoryQuery(Optional.of("Patient"), Optional.of("h"),
                Optional.empty(), Optional.empty(), Optional.empty(), first.next(), 2));
        assertEquals(List.of(3L, 2L), second.versions().stream().map(ResourceVersion::version).toList());
        HistoryPage type = store.history(new HistoryQuery(Optional.of("Observation"), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 10));
        assertEquals(List.of("o4", "o3", "o2", "o1", "o0"), type.versions().stream().map(ResourceVersion::id).toList());
        HistoryPage system = store.history(new HistoryQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 3));
        assertEquals(List.of("o4", "h", "o3"), system.versions().stream().map(ResourceVersion::id).toList());
        HistoryPage systemNext = store.history(new HistoryQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), system.next(), 3));
        assertEquals(List.of("h", "o2", "h"), systemNext.versions().stream().map(ResourceVersion::id).toList());
    }

    @Test
    void theChangeFeedReadForSomeTypesPassesTheOthersOver() {
        long start = store.lastT();
        for (int i = 0; i < 30; i++) {
            store.commit(Commit.of(create("Patient", "p" + i)));
            if (i % 10 == 9) {
                store.commit(Commit.of(create("Observation", "o" + i), create("Patient", "q" + i)));
            }
        }
        long end = store.lastT();
        ResourceStore.ChangeBatch first = store.changesAfter(start, 3, "Observation"::equals);
        assertEquals(List.of("o9", "o19"), first.versions().stream().map(ResourceVersion::id).toList(),
                "only the wanted type");
        assertEquals(start + 28, first.readTo(), "30 changes (ten times the limit) read: 28 transactions");
        ResourceStore.ChangeBatch rest = store.changesAfter(first.readTo(), 3, "Observation"::equals);
        assertEquals(List.of("o29"), rest.versions().stream().map(ResourceVersion::id).toList());
        assertEquals(end, rest.readTo(), "the transactions after the last match were read (and passed over) too");
        ResourceStore.ChangeBatch none = store.changesAfter(start, 1, "Encounter"::equals);
        assertTrue(none.versions().isEmpty());
        assertEquals(start + 10, none.readTo(), "at most ten times the limit passed over in one read");
        assertEquals(end, store.changesAfter(end, 5, "Encounter"::equals).readTo(), "nothing more: readTo stays");
        assertEquals(store.changesAfter(start, 100).size(), store.changesAfter(start, 100, type -> true)
                .versions().size());
    }

    @Test
    void lastTSurvivesRestart() throws Exception {
        store.commit(Commit.of(create("Patient", "t1")));
        long t = store.lastT();
        store.close();
        store = new ResourceStore(kv, Clock.systemUTC(), FINDER);
        assertEquals(t, store.lastT());
        store.commit(Commit.of(create("Patient", "t2")));
        assertEquals(t + 1, store.lastT());
    }

    @Test
    void scanAndReadAsOfATransaction() {
        store.commit(Commit.of(create("Patient", "a"), create("Patient", "b")));
        long t = store.lastT();
        store.commit(Commit.of(new Write(WriteMethod.UPDATE, "Patient", "a", Expectation.ANY,
                json("Patient", "a", ",\"later\":true"), DerivedEntries.NONE)));
        store.commit(Commit.of(Write.delete("Patient", "b", Expectation.ANY)));
        store.commit(Commit.of(create("Patient", "c")));
        List<String> seen = new ArrayList<>();
        store.scanType("Patient", t, v -> seen.add(v.id() + "@" + v.version()));
        assertEquals(List.of("a@1", "b@1"), seen, "as of t: a's first version, b not yet deleted, no c");
        List<String> now = new ArrayList<>();
        store.scanType("Patient", store.lastT(), v -> now.add(v.id() + "@" + v.version()));
        assertEquals(List.of("a@2", "c@1"), now);
        assertEquals(1, store.readAsOf("Patient", "a", t).orElseThrow().version());
        assertTrue(store.readAsOf("Patient", "c", t).isEmpty());
    }

    static DerivedEntries index(String... keys) {
        return (version, lastUpdated) -> {
            List<KvEntry> out = new ArrayList<>();
            for (String k : keys) {
                out.add(new KvEntry(INDEX, Bytes.utf8(k), Bytes.utf8("v" + version)));
            }
            return out;
        };
    }

    @Test
    void replacingDerivedEntriesKeepsTheVersionAndSkipsResourcesThatMovedOn() {
        store.commit(Commit.of(new Write(WriteMethod.CREATE, "Patient", "a", Expectation.ABSENT,
                json("Patient", "a", ""), index("Patient/a/old"))));
        store.commit(Commit.of(new Write(WriteMethod.CREATE, "Patient", "b", Expectation.ABSENT,
                json("Patient", "b", ""), index("Patient/b/old"))));
        long lastT = store.lastT();

        List<DerivedReplacement> stale = store.replaceDerived(List.of(
                new DerivedReplacement("Patient", "a", 1, index("Patient/a/new")),
                new DerivedReplacement("Patient", "b", 7, index("Patient/b/new")),
                new DerivedReplacement("Patient", "missing", 1, index("Patient/missing/x"))));

        assertEquals(List.of("b", "missing"), stale.stream().map(DerivedReplacement::id).toList());
        assertTrue(kv.get(INDEX, Bytes.utf8("Patient/a/old")).isEmpty());
        assertEquals("v1", new String(kv.get(INDEX, Bytes.utf8("Patient/a/new")).orElseThrow(), StandardCharsets.UTF_8));
        assertTrue(kv.get(INDEX, Bytes.utf8("Patient/b/old")).isPresent());
        assertEquals(lastT, store.lastT());
        assertEquals(1, store.readCurrent("Patient", "a").orElseThrow().version());
        assertEquals(1, store.history(new HistoryQuery(Optional.of("Patient"), Optional.of("a"), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 10)).versions().size());

        // the next real write removes the replaced entries, not the original ones
        store.commit(Commit.of(new Write(WriteMethod.UPDATE, "Patient", "a", Expectation.ANY,
                json("Patient", "a", ""), index("Patient/a/newer"))));
        assertTrue(kv.get(INDEX, Bytes.utf8("Patient/a/new")).isEmpty());
        assertTrue(kv.get(INDEX, Bytes.utf8("Patient/a/newer")).isPresent());
    }

    @Test
    void existsSeesLiveResourcesOnlyAndCountsAsARead() {
        store.commit(Commit.of(create("Patient", "here"), create("Patient", "gone")));
        store.commit(Commit.of(Write.delete("Patient", "gone", Expectation.ANY)));
        ReadSet.start();
        assertTrue(store.exists("Patient", "here"));
        assertFalse(store.exists("Patient", "gone"), "deleted");
        assertFalse(store.exists("Patient", "never"));
        assertFalse(store.exists("Observation", "here"), "another type");
        assertEquals(java.util.Set.of("Patient", "Observation"), ReadSet.stop(),
                "a planner that checked existence read those types");
    }

    @Test
    void currentAfterWalksLiveResourcesInIdOrder() {
        for (String id : List.of("c", "a", "b", "d")) {
            store.commit(Commit.of(create("Patient", id)));
        }
        store.commit(Commit.of(Write.delete("Patient", "b", Expectation.ANY)));
        store.commit(Commit.of(create("Patients", "z")));
        assertEquals(List.of("a", "c"), store.currentAfter("Patient", null, 2).stream().map(ResourceVersion::id)
                .toList());
        assertEquals(List.of("d"), store.currentAfter("Patient", "c", 2).stream().map(ResourceVersion::id).toList());
        assertEquals(4, store.countType("Patient", 100));
    }
}
