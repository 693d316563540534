package dev.fhirbolt.search.reindex;

import static dev.fhirbolt.search.SearchFixture.REGISTRY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.database.KvEntry;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.search.SearchFixture;
import dev.fhirbolt.search.SearchKeyspaces;
import dev.fhirbolt.search.SearchRequest;
import dev.fhirbolt.search.SearchResult;
import dev.fhirbolt.search.UnionParamSearchTest;
import dev.fhirbolt.search.index.DateRange;
import dev.fhirbolt.search.index.DateValues;
import dev.fhirbolt.search.index.IndexEntryFinder;
import dev.fhirbolt.search.index.IndexKeys;
import dev.fhirbolt.search.index.ResourceIndexer;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data indexed in format 6, which wrote entries for the unions of other parameters (Observation's combo-*): searches
 * answer the same before, during and after the upgrade, which leaves the indexes as fresh ones.
 */
class Format6UpgradeTest {

    @TempDir
    Path dir;

    static final List<List<String>> MORE = List.of(
            List.of("_sort", "combo-value-quantity"),
            List.of("_sort", "-combo-value-quantity", "combo-code", "comp-a,c2"),
            List.of("_sort", "-value-quantity"),
            List.of("_sort", "combo-code"),
            List.of("_sort", "_lastUpdated", "combo-value-quantity", "lt100"),
            List.of("combo-value-quantity", "gt100", "_sort", "-date"));

    @Test
    void searchesOnUnionsAnswerTheSameBeforeDuringAndAfterTheUpgrade() throws Exception {
        try (SearchFixture db = new SearchFixture(dir)) {
            ReindexServiceTest.clinicalData(db);
            for (int i = 0; i < 120; i++) {
                db.create(UnionParamSearchTest.observation(String.format("u%03d", i), i));
            }
            List<String> fresh = ReindexServiceTest.indexEntries(db);
            List<String> expected = answers(db);
            toFormat6(db);
            assertNotEquals(fresh, ReindexServiceTest.indexEntries(db), "format 6 wrote more entries");
            assertEquals(expected, answers(db), "format 6 as it was");
            try (ReindexService reindex = new ReindexService(db.store, db.indexer, Clock.systemUTC()).start()) {
                assertTrue(reindex.upgrading());
                assertEquals(expected, answers(db), "whether or not the job is done yet");
                assertTrue(reindex.await(reindex.all().get(0).id(), 30_000));
            }
            assertEquals(fresh, ReindexServiceTest.indexEntries(db), "the entries of format 6 alone are gone");
            assertEquals(expected, answers(db));
        }
    }

    /** Every query's matches (up to 500) in result order, and the first of a page of 7 with its total. */
    static List<String> answers(SearchFixture db) {
        List<String> out = new ArrayList<>();
        List<List<String>> queries = new ArrayList<>(UnionParamSearchTest.QUERIES);
        queries.addAll(MORE);
        for (List<String> query : queries) {
            List<String> params = new ArrayList<>(query);
            params.addAll(List.of("_count", "500"));
            out.add(query + " " + ids(db.search("Observation", params.toArray(String[]::new))));
            params.set(params.size() - 1, "7");
            params.addAll(List.of("_total", "accurate"));
            SearchResult page = db.search("Observation", params.toArray(String[]::new));
            out.add(query + " " + ids(page) + " of " + page.total());
        }
        for (SearchRequest q : ReindexServiceTest.QUERIES) {
            SearchResult r = db.engine.search(q);
            out.add(ids(r) + " + " + r.includes().stream().map(v -> v.type() + "/" + v.id()).toList());
        }
        return out;
    }

    private static List<String> ids(SearchResult result) {
        return result.matches().stream().map(ResourceVersion::id).toList();
    }

    /**
     * Writes every resource's index entries again as format 6 did: every parameter of the type indexed, the unions of
     * others too.
     */
    static void toFormat6(SearchFixture db) {
        KvBatch deletes = new KvBatch();
        KvBatch puts = new KvBatch();
        try (KvSnapshot s = db.kv.snapshot(); KvCursor c = s.cursor(SearchKeyspaces.RESOURCE)) {
            for (c.seekToFirst(); c.isValid(); c.next()) {
                String key = new String(c.key(), StandardCharsets.UTF_8);
                String type = key.substring(0, key.indexOf('\0'));
                String id = key.substring(key.indexOf('\0') + 1, key.length() - 1);
                new IndexEntryFinder().find(s, type, id, deletes::delete);
                ResourceVersion current = db.store.readCurrent(type, id).orElseThrow();
                Resource resource = ResourceReader.readStored(current.json());
                resource.setId(id);
                ResourceIndexer.Indexed fixed = ResourceIndexer.entries(type, id, REGISTRY.forType(type).values(),
                        p -> format6(ResourceIndexer.values(resource, p, REGISTRY::byUrl)));
                List<byte[]> lastUpdated = new ArrayList<>();
                DateValues.add(DateRange.instant(current.lastUpdated().toEpochMilli()), lastUpdated);
                for (KvEntry e : fixed.with("_lastUpdated", format6(lastUpdated))) {
                    puts.put(e.keyspace(), e.key(), e.value());
                }
            }
        }
        db.kv.write(deletes, true);
        db.kv.write(puts, true);
        new ReindexJobStore(db.kv).saveFormat(6);
    }

    /** A parameter's values as format 6 encoded them. */
    static List<byte[]> format6(List<byte[]> values) {
        return values;
    }
}
