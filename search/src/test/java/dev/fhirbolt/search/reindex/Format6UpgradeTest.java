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
import dev.fhirbolt.search.index.CompositeValues;
import dev.fhirbolt.search.index.DateRange;
import dev.fhirbolt.search.index.DateValues;
import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.search.index.IndexEntryFinder;
import dev.fhirbolt.search.index.IndexKeys;
import dev.fhirbolt.search.index.Records;
import dev.fhirbolt.search.index.ResourceIndexer;
import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data indexed in format 6, which wrote entries for the unions of other parameters (Observation's combo-*), two
 * entries for a point (a quantity, a number, an instant) as for any range, a system-only token entry for every coding,
 * a "no system" entry for every id and a composite value per combination of component values: searches answer the
 * same before, during and after the upgrade, which leaves the indexes as fresh ones.
 */
public class Format6UpgradeTest {

    @TempDir
    Path dir;

    static final List<List<String>> MORE = List.of(
            List.of("_sort", "combo-value-quantity"),
            List.of("_sort", "-combo-value-quantity", "combo-code", "comp-a,c2"),
            List.of("_sort", "-value-quantity"),
            List.of("_sort", "combo-code"),
            List.of("_sort", "_lastUpdated", "combo-value-quantity", "lt100"),
            List.of("combo-value-quantity", "gt100", "_sort", "-date"),
            List.of("value-quantity", "ge10", "value-quantity", "lt60"),
            List.of("value-quantity", "ap50"),
            List.of("value-quantity", "eb0.01|http://unitsofmeasure.org|g"),
            List.of("code-value-quantity", "c0$sa100"),
            List.of("_lastUpdated", "gt2020-01-01", "_sort", "-_lastUpdated"),
            List.of("date", "ge2020-01-10", "code", "http://loinc.org|c1"),
            List.of("code", "http://loinc.org|"),
            List.of("code:not", "http://loinc.org|"),
            List.of("status", "final", "code", "http://loinc.org|,http://x|"),
            List.of("value-concept", "http://x|"),
            List.of("_id", "|u003,u005,|o07"),
            List.of("_id:not", "|u003", "status", "final"),
            List.of("_id", "http://x|u003"),
            List.of("_sort", "-_id", "_id:missing", "false"));

    @Test
    void searchesOnUnionsAnswerTheSameBeforeDuringAndAfterTheUpgrade() throws Exception {
        try (SearchFixture db = new SearchFixture(dir)) {
            ReindexServiceTest.clinicalData(db);
            for (int i = 0; i < 120; i++) {
                db.create(UnionParamSearchTest.observation(String.format("u%03d", i), i));
            }
            List<String> fresh = ReindexServiceTest.indexEntries(db);
            List<String> expected = answers(db);
            assertEquals(0, highEndEntries(db, "value-quantity"), "in format 7 a quantity is one P entry");
            toFormat6(db);
            assertNotEquals(fresh, ReindexServiceTest.indexEntries(db), "format 6 wrote more entries");
            assertEquals(120 / 4 + 32, highEndEntries(db, "value-quantity"), "in format 6 a quantity had an H entry");
            assertEquals(expected, answers(db), "format 6 as it was");
            try (ReindexService reindex = new ReindexService(db.store, db.indexer, Clock.systemUTC()).start()) {
                assertTrue(reindex.upgrading());
                assertEquals(expected, answers(db), "whether or not the job is done yet");
                assertTrue(reindex.await(reindex.all().get(0).id(), 30_000));
            }
            assertEquals(fresh, ReindexServiceTest.indexEntries(db), "the entries of format 6 alone are gone");
            assertEquals(0, highEndEntries(db, "value-quantity"));
            assertEquals(expected, answers(db));
        }
    }

    /** The Observations' search-value entries of a parameter's unit-less quantities ordered by their high end. */
    static long highEndEntries(SearchFixture db, String code) {
        byte[] prefix = ReindexServiceTest.concat(IndexKeys.valuePrefix(code, "Observation"),
                new byte[] {Encoded.QUANTITY_ANY, Encoded.RANGE_BY_HIGH});
        long n = 0;
        try (KvSnapshot s = db.kv.snapshot(); KvCursor c = s.cursor(SearchKeyspaces.VALUE)) {
            for (c.seek(prefix); c.isValid() && Bytes.startsWith(c.key(), prefix); c.next()) {
                n++;
            }
        }
        return n;
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
    public static void toFormat6(SearchFixture db) {
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
                // format 6 also wrote an id's "no system" token
                List<byte[]> ids = List.of(Encoded.strings(Encoded.CODE, id),
                        Encoded.strings(Encoded.NO_SYSTEM_CODE, id));
                puts.put(SearchKeyspaces.VALUE, IndexKeys.valueKey("_id", type, ids.get(1), id), new byte[0]);
                for (KvEntry e : fixed.with("_lastUpdated", format6(lastUpdated))) {
                    puts.put(e.keyspace(), e.key(), e.keyspace().equals(SearchKeyspaces.RESOURCE)
                            ? Records.withGroup(e.value(), "_id", ids) : e.value());
                }
            }
        }
        db.kv.write(deletes, true);
        db.kv.write(puts, true);
        new ReindexJobStore(db.kv).saveFormat(6);
    }

    /**
     * A parameter's values as format 6 encoded them: a composite as one value per combination of its components'
     * values, a point as a range, two entries (one in a composite); the system
     * of a coding with a code also alone (and an id also as a code without system, {@link #toFormat6}).
     */
    static List<byte[]> format6(List<byte[]> values) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] v : values) {
            if (v[0] == Encoded.COMPOSITE_PER_ELEMENT) {
                combinations(CompositeValues.components(v), 0, new ArrayList<>(), out);
            } else {
                out.addAll(Arrays.asList(asRange(v)));
            }
            if (v[0] == Encoded.SYSTEM_CODE) {
                byte[] systemOnly = Encoded.strings(Encoded.SYSTEM_ONLY, Encoded.parts(v)[0]);
                if (out.stream().noneMatch(o -> Arrays.equals(o, systemOnly))) {
                    out.add(systemOnly);
                }
            }
        }
        return out;
    }

    /** A composite as format 6 wrote it: one value per combination of its components' values. */
    private static void combinations(List<List<byte[]>> components, int at, List<byte[]> chosen, List<byte[]> out) {
        if (at == components.size()) {
            ByteArrayOutputStream composite = new ByteArrayOutputStream();
            composite.write(Encoded.COMPOSITE);
            for (byte[] c : chosen) {
                composite.write(c.length >>> 8);
                composite.write(c.length & 0xFF);
                composite.writeBytes(c);
            }
            out.add(composite.toByteArray());
            return;
        }
        for (byte[] v : components.get(at)) {
            chosen.add(asRange(v)[0]);
            combinations(components, at + 1, chosen, out);
            chosen.remove(chosen.size() - 1);
        }
    }

    /** A point's L and H entries, or the value itself. */
    private static byte[][] asRange(byte[] v) {
        int at = Encoded.rangeKindAt(v);
        if (at < 0 || v[at] != Encoded.RANGE_POINT) {
            return new byte[][] {v};
        }
        byte[] prefix = Arrays.copyOf(v, at);
        long point = Encoded.getLong(v, at + 1);
        return new byte[][] {Encoded.rangeEntry(prefix, Encoded.RANGE_BY_LOW, point, point),
                Encoded.rangeEntry(prefix, Encoded.RANGE_BY_HIGH, point, point)};
    }
}
