package dev.fhirbolt.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.rocksdb.RocksDbEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export whose work throws an Error (here OutOfMemoryError from the search side it asks for compartments) is
 * marked failed with the reason, instead of staying "in progress" for ever, and the next export runs.
 */
class ExportFailureTest {

    @TempDir
    Path dir;

    @Test
    void anErrorFailsTheJobAndLaterJobsRun() throws Exception {
        List<Keyspace> keyspaces = new ArrayList<>(ResourceStore.keyspaces());
        keyspaces.addAll(ExportJobStore.keyspaces());
        AtomicInteger calls = new AtomicInteger();
        ExportSource source = new ExportSource() {
            @Override
            public Set<String> patientCompartmentTypes() {
                if (calls.getAndIncrement() == 0) {
                    throw new OutOfMemoryError("Java heap space");
                }
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
        };
        try (KvStore kv = new RocksDbEngine(dir.resolve("db"), 8L << 20).open(keyspaces);
                ResourceStore store = new ResourceStore(kv, Clock.systemUTC(), (s, t, i, f) -> { });
                ExportService exports = new ExportService(store, new ExportJobStore(kv), source,
                        new ExportSettings(dir.resolve("exports"), Duration.ofHours(1), 5, 1, false),
                        Clock.systemUTC())) {
            ExportSpec spec = new ExportSpec(ExportSpec.Level.PATIENT, null, List.of(), null, Map.of(), List.of(),
                    "http://x/Patient/$export");
            ExportJob failed = awaitFinished(exports, exports.kickOff("client", spec).id());
            assertEquals(ExportJob.Status.FAILED, failed.status());
            assertTrue(failed.failure().contains("OutOfMemoryError"), failed.failure());
            ExportJob next = awaitFinished(exports, exports.kickOff("client", spec).id());
            assertEquals(ExportJob.Status.COMPLETED, next.status(), String.valueOf(next.failure()));
        }
    }

    private static ExportJob awaitFinished(ExportService exports, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            ExportJob job = exports.find(id).orElseThrow();
            if (!job.isActive()) {
                return job;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("export " + id + " did not finish within 30 s");
    }
}
