package dev.fhirbolt.database;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fhirbolt.common.Health;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.rocksdb.RocksDbEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which commits are synced to disk: a commit of a single server is (its disk is where it lives), a commit applied
 * from the cluster's log is not (the log holds it durably; a node that loses its unsynced tail in a crash resumes from
 * the position its disk holds and applies the rest again). Observed on real RocksDB through a store that records the
 * {@code durable} flag of each write it passes on.
 */
class LoggedCommitSyncTest {

    /** The real store, recording whether each batch was asked to be synced. */
    static final class Recording implements KvStore {
        final KvStore real;
        final List<Boolean> durable = new ArrayList<>();

        Recording(KvStore real) {
            this.real = real;
        }

        @Override
        public Optional<byte[]> get(Keyspace keyspace, byte[] key) {
            return real.get(keyspace, key);
        }

        @Override
        public KvSnapshot snapshot() {
            return real.snapshot();
        }

        @Override
        public synchronized void write(KvBatch batch, boolean sync) {
            durable.add(sync);
            real.write(batch, sync);
        }

        @Override
        public void checkpoint(Path target) {
            real.checkpoint(target);
        }

        @Override
        public Map<String, Long> statistics() {
            return real.statistics();
        }

        @Override
        public void close() {
            real.close();
        }

        synchronized List<Boolean> writes() {
            return List.copyOf(durable);
        }
    }

    Recording kv;
    ResourceStore store;

    @BeforeEach
    void open() throws Exception {
        kv = new Recording(new RocksDbEngine(Files.createTempDirectory("db-sync"), 8 << 20)
                .open(ResourceStore.keyspaces()));
        store = new ResourceStore(kv, Clock.systemUTC(), (snapshot, type, id, found) -> { }, new Health());
    }

    @AfterEach
    void close() {
        store.close();
        kv.close();
    }

    @Test
    void aLocalCommitIsSyncedAndOneFromTheLogIsNot() throws Exception {
        store.commit(Commit.of(CommitFailureTest.create("local", null)));
        assertEquals(List.of(true), kv.writes(), "a single server's commit is synced");

        Commit logged = Commit.of(CommitFailureTest.create("logged", null))
                .replicated(new Replication(7, Instant.now(), Replication.UNPLANNED, Set.of()));
        store.apply(logged).get();
        assertEquals(List.of(true, false), kv.writes(), "a commit from the log is written, not synced");
        assertEquals(7, store.lastPosition());
        assertEquals(true, store.readCurrent("Patient", "logged").isPresent());
    }
}
