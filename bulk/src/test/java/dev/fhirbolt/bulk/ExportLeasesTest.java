package dev.fhirbolt.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.rocksdb.RocksDbEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claims on export jobs shared by several nodes: the runner keeps its claim by renewing it, a claim that stops
 * changing is taken over by exactly one other node after the silence, the old runner then learns it lost the job, and
 * a node that stopped has its unfinished job run to the end by another.
 */
class ExportLeasesTest {

    private static final Duration SILENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private KvStore open() {
        List<Keyspace> keyspaces = new ArrayList<>(ResourceStore.keyspaces());
        keyspaces.addAll(ExportJobStore.keyspaces());
        return new RocksDbEngine(dir.resolve("db"), 8L << 20).open(keyspaces);
    }

    @Test
    void aSilentClaimIsTakenOverByOneNodeAndItsRunnerLosesIt() {
        try (KvStore kv = open()) {
            OneWriterConditionalStore shared = new OneWriterConditionalStore(kv);
            AtomicLong now = new AtomicLong();
            ExportLeases a = new ExportLeases(shared, "a", SILENCE, now::get);
            ExportLeases b = new ExportLeases(shared, "b", SILENCE, now::get);
            ExportLeases c = new ExportLeases(shared, "c", SILENCE, now::get);
            a.claim("job");
            assertTrue(a.progress("job").orElseThrow().contains("on node a"));
            assertFalse(b.takeOver("job"), "first sight");
            now.addAndGet(SILENCE.toNanos() / 2);
            assertTrue(a.renew("job", "10 resources exported"));
            assertTrue(b.progress("job").orElseThrow().startsWith("10 resources exported"));
            now.addAndGet(SILENCE.toNanos() / 2 + 1);
            assertFalse(b.takeOver("job"), "the claim changed since b last looked");
            assertFalse(c.takeOver("job"));
            now.addAndGet(SILENCE.toNanos() + 1);
            assertTrue(b.takeOver("job"), "silent for longer than allowed");
            assertFalse(c.takeOver("job"), "only one node takes a job over");
            assertEquals("b", b.holder("job").orElseThrow());
            assertFalse(a.renew("job", "20 resources exported"), "the old runner learns it lost the job");
            assertTrue(b.renew("job", "1 resource exported"));
            assertFalse(a.resumesHere("job"));
            assertTrue(new ExportLeases(shared, "b", SILENCE, now::get).resumesHere("job"), "b after a restart");
            b.release("job");
            assertTrue(c.progress("job").isEmpty());
        }
    }

    @Test
    void anUnfinishedJobOfAStoppedNodeIsRunByAnother() throws Exception {
        try (KvStore kv = open();
                ResourceStore store = new ResourceStore(kv, Clock.systemUTC(), (s, t, i, f) -> { })) {
            OneWriterConditionalStore shared = new OneWriterConditionalStore(kv);
            ExportJobStore jobs = new ExportJobStore(shared);
            // node "gone" accepted a job and stopped before running it
            ExportSpec spec = new ExportSpec(ExportSpec.Level.SYSTEM, null, List.of("Patient"), null, Map.of(),
                    List.of(), "http://x/$export");
            ExportJob job = new ExportJob("job-1", "client", spec, store.lastT(), 0, ExportJob.Status.ACCEPTED,
                    List.of(), null, 0, null);
            new ExportLeases(shared, "gone", SILENCE, System::nanoTime).claim(job.id());
            jobs.save(job);

            ExportSettings settings = new ExportSettings(dir.resolve("exports-b"), Duration.ofHours(1), 5, 1, false);
            try (ExportService b = new ExportService(store, jobs, new NoCompartments(), settings,
                    new LocalExportFiles(settings.directory()),
                    new ExportLeases(shared, "b", Duration.ofMillis(300), System::nanoTime), Clock.systemUTC(),
                    Duration.ofMillis(50))) {
                assertEquals(ExportJob.Status.ACCEPTED, b.find(job.id()).orElseThrow().status(),
                        "b does not resume another node's job at start");
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (b.find(job.id()).orElseThrow().isActive() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(ExportJob.Status.COMPLETED, b.find(job.id()).orElseThrow().status());
                assertTrue(Files.isDirectory(settings.directory().resolve(job.id())));
            }
        }
    }

    private static final class NoCompartments implements ExportSource {
        @Override
        public Set<String> patientCompartmentTypes() {
            return Set.of("Patient");
        }

        @Override
        public List<String> compartmentIds(String patientId, String type) {
            return List.of();
        }

        @Override
        public List<String> matchingIds(String type, String query) {
            return List.of();
        }
    }
}
