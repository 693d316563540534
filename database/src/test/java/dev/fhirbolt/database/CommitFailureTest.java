package dev.fhirbolt.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.Health;
import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.rocksdb.RocksDbEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failures on the commit pipeline's writer thread, from real parts (a listener, the derived entries, RocksDB
 * refusing a batch): each fails only the commits it concerns with a 5xx, nothing of them is visible, and the pipeline
 * goes on committing; {@link Health} says what is wrong while it is.
 */
class CommitFailureTest {

    /** Never declared when the store is opened: RocksDB refuses any batch that writes to it. */
    static final Keyspace UNDECLARED = new Keyspace("undeclared-keyspace");

    KvStore kv;
    ResourceStore store;
    Health health = new Health();

    @BeforeEach
    void open() throws Exception {
        kv = new RocksDbEngine(Files.createTempDirectory("db-fail"), 8 << 20).open(ResourceStore.keyspaces());
        store = new ResourceStore(kv, Clock.systemUTC(), (snapshot, type, id, found) -> { }, health);
    }

    @AfterEach
    void close() {
        store.close();
        kv.close();
    }

    static Write create(String id, DerivedEntries derived) {
        VersionedBody body = (version, lastUpdated) -> ("{\"resourceType\":\"Patient\",\"id\":\"" + id + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        return new Write(WriteMethod.CREATE, "Patient", id, Expectation.ABSENT, body, derived);
    }

    @Test
    void anErrorInACommitListenerLeavesTheCommitDurableAndThePipelineRunning() {
        store.addCommitListener(outcomes -> {
            throw new AssertionError("listener broke");
        });
        assertEquals(WriteOutcome.Kind.CREATED, store.commit(Commit.of(create("a", null))).get(0).kind());
        assertEquals(WriteOutcome.Kind.CREATED, store.commit(Commit.of(create("b", null))).get(0).kind());
        assertTrue(store.readCurrent("Patient", "b").isPresent());
        assertEquals(Health.Level.UP, health.level());
    }

    @Test
    void outOfMemoryWhileStagingFailsThatCommitWith503AndTheNextOneCommits() {
        DerivedEntries exhausted = (version, lastUpdated) -> {
            throw new OutOfMemoryError("Java heap space");
        };
        FhirException e = assertThrows(FhirException.class, () -> store.commit(Commit.of(create("a", exhausted))));
        assertEquals(503, e.status());
        assertTrue(e.getMessage().contains("out of memory"), e.getMessage());
        assertTrue(store.readCurrent("Patient", "a").isEmpty());
        assertEquals(WriteOutcome.Kind.CREATED, store.commit(Commit.of(create("a", null))).get(0).kind());
        assertEquals(1, store.lastT());
    }

    @Test
    void anErrorInAnExclusivePlannerFailsOnlyThatCommit() {
        FhirException e = assertThrows(FhirException.class, () -> store.commitExclusively(() -> {
            throw new StackOverflowError();
        }));
        assertEquals(500, e.status());
        assertEquals(WriteOutcome.Kind.CREATED, store.commit(Commit.of(create("a", null))).get(0).kind());
    }

    @Test
    void aBatchRocksDbRefusesFailsItsCommitsWithNothingVisibleAndLaterOnesCommit() {
        DerivedEntries bad = (version, lastUpdated) -> List.of(new KvEntry(UNDECLARED, new byte[] {1}, new byte[0]));
        FhirException e = assertThrows(FhirException.class, () -> store.commit(Commit.of(create("a", null),
                create("b", bad))));
        assertEquals(500, e.status());
        assertTrue(store.readCurrent("Patient", "a").isEmpty());
        assertEquals(0, store.lastT());
        assertEquals(WriteOutcome.Kind.CREATED, store.commit(Commit.of(create("a", null))).get(0).kind());
        assertEquals(1, store.lastT());
    }

    @Test
    void commitsAfterTheWriterThreadStoppedFailAtOnceWith503() {
        store.close();
        long started = System.nanoTime();
        FhirException e = assertThrows(FhirException.class, () -> store.commit(Commit.of(create("a", null))));
        assertEquals(503, e.status());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 5);
    }
}
