package dev.fhirbolt.search.reindex;

import static dev.fhirbolt.search.SearchFixture.REGISTRY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.fhir.FhirFormat;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.search.SearchEngine;
import dev.fhirbolt.search.SearchFixture;
import dev.fhirbolt.search.SearchKeyspaces;
import dev.fhirbolt.search.SearchParameterRegistry;
import dev.fhirbolt.search.SearchRequest;
import dev.fhirbolt.search.SearchResult;
import dev.fhirbolt.search.index.IndexKeys;
import dev.fhirbolt.search.index.SortKeys;
import dev.fhirbolt.search.query.IndexReader;
import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.SearchParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReindexServiceTest {

    @TempDir
    Path dir;

    static final String NICKNAME = "{\"resourceType\":\"SearchParameter\",\"id\":\"nick\",\"url\":\"http://x/nick\","
            + "\"name\":\"nickname\",\"status\":\"active\",\"code\":\"nickname\",\"base\":[\"Patient\"],"
            + "\"type\":\"string\",\"expression\":\"Patient.name.where(use='nickname').given\"}";

    static void patients(SearchFixture db, int n) {
        for (int i = 0; i < n; i++) {
            db.create(String.format("{\"resourceType\":\"Patient\",\"id\":\"p%03d\",\"name\":[{\"use\":\"nickname\","
                    + "\"given\":[\"Nick%03d\"]}]}", i, i));
        }
    }

    static void defineNickname(SearchParameterRegistry registry) {
        registry.register((SearchParameter) ResourceReader.read(NICKNAME.getBytes(StandardCharsets.UTF_8),
                FhirFormat.JSON));
    }

    @Test
    void aNewParameterFindsExistingDataAfterAReindexWithoutNewVersions() throws Exception {
        SearchParameterRegistry registry = new SearchParameterRegistry();
        try (SearchFixture db = new SearchFixture(dir, registry);
                ReindexService reindex = new ReindexService(db.store, db.indexer, Clock.systemUTC())) {
            patients(db, 600);
            reindex.start();
            defineNickname(registry);
            assertEquals(List.of(), db.ids("Patient", "nickname", "Nick042"));
            long lastT = db.store.lastT();

            ReindexJob job = reindex.submit(List.of("Patient"), "test");
            assertTrue(reindex.await(job.id(), 30_000));

            ReindexJob done = reindex.find(job.id()).orElseThrow();
            assertEquals(ReindexJob.Status.COMPLETED, done.status());
            assertEquals(600, done.done());
            assertEquals(600, done.total());
            assertEquals(List.of("p042"), db.ids("Patient", "nickname", "Nick042"));
            assertEquals(lastT, db.store.lastT());
            assertEquals(1, db.store.readCurrent("Patient", "p042").orElseThrow().version());
        }
    }

    @Test
    void anInterruptedJobResumesAfterItsLastStep() throws Exception {
        SearchParameterRegistry registry = new SearchParameterRegistry();
        try (SearchFixture db = new SearchFixture(dir, registry)) {
            patients(db, 300);
            new ReindexJobStore(db.kv).saveFormat(IndexKeys.FORMAT);
            defineNickname(registry);
            // as a job left behind by a crash: running, Patient walked up to p199
            ReindexJobStore jobs = new ReindexJobStore(db.kv);
            jobs.save(new ReindexJob("j1", List.of("Patient"), "test", ReindexJob.Status.RUNNING, 0, "p199", 200,
                    300, 1, 0, null));
            try (ReindexService reindex = new ReindexService(db.store, db.indexer, Clock.systemUTC()).start()) {
                assertTrue(reindex.await("j1", 30_000));
                assertEquals(300, reindex.find("j1").orElseThrow().done());
            }
            assertEquals(List.of(), db.ids("Patient", "nickname", "Nick150"));
            assertEquals(List.of("p250"), db.ids("Patient", "nickname", "Nick250"));
        }
    }

    @Test
    void dataIndexedInAnOlderFormatIsReindexedOnStart() throws Exception {
        try (SearchFixture db = new SearchFixture(dir)) {
            patients(db, 10);
            try (ReindexService reindex = new ReindexService(db.store, db.indexer, Clock.systemUTC()).start()) {
                List<ReindexJob> jobs = new ArrayList<>(reindex.all());
                assertEquals(1, jobs.size());
                assertTrue(jobs.get(0).reason().contains("format"));
                assertTrue(reindex.await(jobs.get(0).id(), 30_000));
                assertEquals(IndexKeys.FORMAT, new ReindexJobStore(db.kv).format());
            }
            assertEquals(List.of("p003"), db.ids("Patient", "_id", "p003"));
        }
    }

    @Test
    void searchesAvoidTheIndexesAnUpgradeIsStillFilling() throws Exception {
        try (SearchFixture db = new SearchFixture(dir)) {
            for (int i = 0; i < 10; i++) {
                db.create("{\"resourceType\":\"Observation\",\"id\":\"o" + i + "\",\"status\":\"final\","
                        + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\"}]},"
                        + "\"subject\":{\"reference\":\"Patient/p" + i % 2 + "\"}}");
            }
            // data written before search-patient existed: its entries are missing, the format is the previous one
            KvBatch clear = new KvBatch();
            try (KvSnapshot s = db.kv.snapshot(); KvCursor c = s.cursor(SearchKeyspaces.PATIENT)) {
                for (c.seekToFirst(); c.isValid(); c.next()) {
                    clear.delete(SearchKeyspaces.PATIENT, c.key());
                }
            }
            db.kv.write(clear, true);
            new ReindexJobStore(db.kv).saveFormat(IndexKeys.FORMAT - 1);
            List<String> expected = List.of("o0", "o2", "o4", "o6", "o8");
            SearchRequest patientAndCode = SearchRequest.ofType("Observation",
                    SearchRequest.params("patient", "p0", "code", "http://loinc.org|8867-4"));
            assertEquals(List.of(), ids(new SearchEngine(db.store, REGISTRY, () -> true).search(patientAndCode)),
                    "the scoped index alone misses what the upgrade has not reindexed yet");
            assertEquals(expected, ids(new SearchEngine(db.store, REGISTRY, () -> false).search(patientAndCode)));
            try (ReindexService reindex = new ReindexService(db.store, db.indexer, Clock.systemUTC()).start()) {
                SearchEngine engine = new SearchEngine(db.store, REGISTRY, () -> !reindex.upgrading());
                List<String> during = ids(engine.search(patientAndCode)); // whether or not the job is done yet
                assertEquals(expected, during);
                assertTrue(reindex.await(reindex.all().get(0).id(), 30_000));
                assertFalse(reindex.upgrading());
                assertEquals(expected, ids(engine.search(patientAndCode)));
            }
            assertEquals(expected, ids(new SearchEngine(db.store, REGISTRY, () -> true).search(patientAndCode)),
                    "filled by the upgrade");
        }
    }

    @Test
    void theUpgradeRemovesTheSortEntriesFormat6NoLongerWritesAndSortsStayRightMeanwhile() throws Exception {
        try (SearchFixture db = new SearchFixture(dir)) {
            for (int i = 0; i < 6; i++) {
                db.create("{\"resourceType\":\"Observation\",\"id\":\"o" + i + "\",\"status\":\"final\","
                        + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"c" + (5 - i) + "\"}]},"
                        + "\"effectiveDateTime\":\"2020-01-0" + (i + 1) + "\"}");
            }
            // what format 5 wrote besides: two sort entries per token (and _id) value; a date's are the same
            KvBatch old = new KvBatch();
            try (KvSnapshot s = db.kv.snapshot(); IndexReader reader = new IndexReader(s)) {
                for (int i = 0; i < 6; i++) {
                    for (String code : List.of("code", "status", "_id")) {
                        byte[][] keys = SortKeys.of(reader.values("Observation", "o" + i, code));
                        old.put(SearchKeyspaces.SORT, IndexKeys.sortKey("Observation", code, SortKeys.ASCENDING,
                                keys[0], "o" + i), new byte[0]);
                        old.put(SearchKeyspaces.SORT, IndexKeys.sortKey("Observation", code, SortKeys.DESCENDING,
                                keys[1], "o" + i), new byte[0]);
                    }
                }
            }
            db.kv.write(old, true);
            long dateEntries = sortEntries(db, "date");
            assertEquals(12, dateEntries);
            new ReindexJobStore(db.kv).saveFormat(5);
            SearchRequest byCode = SearchRequest.ofType("Observation", SearchRequest.params("_sort", "-code"));
            SearchRequest byDate = SearchRequest.ofType("Observation", SearchRequest.params("_sort", "-date"));
            List<String> expected = List.of("o0", "o1", "o2", "o3", "o4", "o5");
            try (ReindexService reindex = new ReindexService(db.store, db.indexer, Clock.systemUTC()).start()) {
                SearchEngine engine = new SearchEngine(db.store, REGISTRY, () -> !reindex.upgrading());
                assertEquals(expected, ids(engine.search(byCode)));
                assertEquals(expected.reversed(), ids(engine.search(byDate)));
                assertTrue(reindex.await(reindex.all().get(0).id(), 30_000));
                assertEquals(expected, ids(engine.search(byCode)));
                assertEquals(expected.reversed(), ids(engine.search(byDate)));
            }
            assertEquals(0, sortEntries(db, "code"));
            assertEquals(0, sortEntries(db, "status"));
            assertEquals(0, sortEntries(db, "_id"));
            assertEquals(dateEntries, sortEntries(db, "date"));
        }
    }

    private static long sortEntries(SearchFixture db, String code) {
        byte[] prefix = Bytes.key("Observation", code);
        long n = 0;
        try (KvSnapshot s = db.kv.snapshot(); KvCursor c = s.cursor(SearchKeyspaces.SORT)) {
            for (c.seek(prefix); c.isValid() && Bytes.startsWith(c.key(), prefix); c.next()) {
                n++;
            }
        }
        return n;
    }

    private static List<String> ids(SearchResult result) {
        return result.matches().stream().map(ResourceVersion::id).toList();
    }
}
