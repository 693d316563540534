package dev.fhirbolt.terminology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.database.Commit;
import dev.fhirbolt.database.DerivedEntries;
import dev.fhirbolt.database.DerivedKeyFinder;
import dev.fhirbolt.database.Expectation;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.Write;
import dev.fhirbolt.database.WriteMethod;
import dev.fhirbolt.fhir.StampableJson;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.rocksdb.RocksDbEngine;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Enumerations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link UploadSweep}'s rule on a real store, with a clock the test moves: what a current CodeSystem names stays, an
 * unnamed upload goes once its marker is older than the grace period, records without a marker are given one first,
 * and in a cluster (a catch-up to run) the start-up sweep waits for the grace period as well.
 */
class UploadSweepRulesTest {

    private static final Duration GRACE = Duration.ofMinutes(15);

    /** A clock that stands still until moved. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-12-07T12:00:00Z");

        void move(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static List<Keyspace> keyspaces() {
        List<Keyspace> all = new ArrayList<>(ResourceStore.keyspaces());
        all.addAll(ConceptStore.keyspaces());
        return all;
    }

    private static String upload(ConceptStore concepts, int n) throws Exception {
        StringBuilder json = new StringBuilder("{\"resourceType\":\"CodeSystem\",\"url\":\"http://example.org/cs\","
                + "\"status\":\"active\",\"content\":\"complete\",\"concept\":[");
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "" : ",").append("{\"code\":\"C").append(i).append("\",\"display\":\"concept ")
                    .append(i).append("\"}");
        }
        String id = ConceptStore.newUploadId();
        StreamedConcepts.read(new ByteArrayInputStream(json.append("]}").toString()
                .getBytes(StandardCharsets.UTF_8)), concepts.writer(id));
        return id;
    }

    private static void name(ResourceStore store, String id, String upload) {
        CodeSystem cs = new CodeSystem();
        cs.setId(id);
        cs.setUrl("http://example.org/cs/" + id);
        cs.setStatus(Enumerations.PublicationStatus.ACTIVE);
        cs.setContent(CodeSystem.CodeSystemContentMode.NOTPRESENT);
        cs.addExtension(ConceptStore.UPLOAD_EXTENSION, new org.hl7.fhir.r4.model.StringType(upload));
        store.commit(Commit.of(new Write(WriteMethod.UPDATE, "CodeSystem", id, Expectation.ANY, StampableJson.of(cs),
                DerivedEntries.NONE)));
    }

    @Test
    void namedUploadsStayAndUnnamedOnesGoOnceTheirMarkerIsOlderThanTheGrace(@TempDir Path dir) throws Exception {
        MovableClock clock = new MovableClock();
        try (KvStore kv = new RocksDbEngine(dir, 8 << 20).open(keyspaces());
                ResourceStore store = new ResourceStore(kv, clock, DerivedKeyFinder.NONE)) {
            ConceptStore concepts = new ConceptStore(kv, kv, clock);
            String named = upload(concepts, 30);
            String shared = upload(concepts, 20);
            String orphan = upload(concepts, 10);
            name(store, "own", named);
            name(store, "copy", shared); // named only by a CodeSystem that copied the extension
            // records without a marker, as a version before markers left them
            String old = ConceptStore.newUploadId();
            byte[] prefix = java.util.HexFormat.of().parseHex(old);
            kv.write(new KvBatch().put(ConceptStore.CONCEPTS, ConceptStore.key(prefix, 0), "{\"code\":\"X\"}"
                    .getBytes(StandardCharsets.UTF_8)), true);

            AtomicInteger catchUps = new AtomicInteger();
            UploadSweep sweep = new UploadSweep(store, concepts, clock, GRACE, catchUps::incrementAndGet);
            assertEquals(List.of(), sweep.sweep(), "every marker is fresh; the old records get one");
            assertEquals(0, catchUps.get(), "nothing to judge, so no catching up with the log");
            assertTrue(concepts.marker(old).isPresent());

            clock.move(GRACE.minusSeconds(1));
            assertEquals(List.of(), sweep.sweep());
            clock.move(Duration.ofSeconds(1));
            List<UploadSweep.Swept> swept = sweep.sweep();
            assertEquals(List.of(old, orphan).stream().sorted().toList(),
                    swept.stream().map(UploadSweep.Swept::upload).sorted().toList());
            assertEquals(1, catchUps.get(), "the node caught up with the log before judging");
            assertEquals(java.util.Set.of(named, shared), concepts.storedUploads());
            assertEquals(2, sweep.sweptUploads());
            long orphanRecords = swept.stream().filter(s -> s.upload().equals(orphan)).findFirst().orElseThrow()
                    .records();
            assertTrue(orphanRecords > 10, "concepts, index and marker: " + orphanRecords);
            // the named ones still answer
            CodeSystem header = new CodeSystem().setUrl("http://example.org/cs");
            assertEquals(java.util.Optional.of(19), concepts.index(header, shared).ordinal("C19"));

            // a CodeSystem deleted while its janitor is not there: swept at the next sweep (marker long stale)
            store.commit(Commit.of(Write.delete("CodeSystem", "own", Expectation.ANY)));
            assertEquals(List.of(named), sweep.sweep().stream().map(UploadSweep.Swept::upload).toList());
            assertEquals(java.util.Set.of(shared), concepts.storedUploads());
        }
    }

    @Test
    void anUploadWhoseWriterKeepsTouchingItsMarkerIsNeverStale(@TempDir Path dir) throws Exception {
        MovableClock clock = new MovableClock();
        try (KvStore kv = new RocksDbEngine(dir, 8 << 20).open(keyspaces());
                ResourceStore store = new ResourceStore(kv, clock, DerivedKeyFinder.NONE)) {
            ConceptStore concepts = new ConceptStore(kv, kv, clock);
            UploadSweep sweep = new UploadSweep(store, concepts, clock, Duration.ofSeconds(5), null);
            String id = ConceptStore.newUploadId();
            ConceptStore.Writer writer = concepts.writer(id);
            for (int i = 0; i < 100; i++) { // 100 concepts over 50 s, ten times the grace period
                clock.move(Duration.ofMillis(500));
                var c = new CodeSystem.ConceptDefinitionComponent().setCode("C" + i);
                writer.put(i, ("{\"code\":\"C" + i + "\"}").getBytes(StandardCharsets.UTF_8), c, -1);
                if (i % 10 == 0) {
                    assertEquals(List.of(), sweep.sweep(), "at concept " + i);
                }
            }
            writer.finish(100);
            clock.move(Duration.ofSeconds(4));
            assertEquals(List.of(), sweep.sweep(), "finished 4 s ago: its CodeSystem may still be committed");
            clock.move(Duration.ofSeconds(1));
            assertEquals(1, sweep.sweep().size(), "never named");
        }
    }
}
