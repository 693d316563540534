package dev.fhirbolt.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.database.Commit;
import dev.fhirbolt.database.Expectation;
import dev.fhirbolt.database.ResourceKeyspaces;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.database.Write;
import dev.fhirbolt.database.WriteMethod;
import dev.fhirbolt.fhir.FhirFormat;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.fhir.StampableJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cost of a search grows with its page, not with its result set: the same queries on a data set and on one ten
 * times larger do the same storage work and load only the resources they return (an N+1 guard, counted through
 * {@link CountingKvStore} rather than timed). Also checks that every page walk is complete, ordered
 * and stable.
 */
class SearchCostTest {

    static final int PATIENTS = 10;
    static final int CODES = 3;

    @TempDir
    static Path smallDir;
    @TempDir
    static Path largeDir;
    static SearchFixture small;
    static SearchFixture large;
    static List<Obs> largeData;

    /** What the test generated, to compute expected results independently of the engine. */
    record Obs(String id, int patient, int code, String date) {
    }

    @BeforeAll
    static void load() {
        small = new SearchFixture(smallDir);
        large = new SearchFixture(largeDir);
        generate(small, 60);
        largeData = generate(large, 600);
    }

    @AfterAll
    static void close() {
        small.close();
        large.close();
    }

    static List<Obs> generate(SearchFixture db, int perPatient) {
        List<Obs> all = new ArrayList<>();
        List<Write> writes = new ArrayList<>();
        for (int p = 0; p < PATIENTS; p++) {
            writes.add(write(db, "{\"resourceType\":\"Patient\",\"id\":\"p" + p + "\",\"name\":[{\"family\":\"F" + p
                    + "\"}]}"));
            for (int i = 0; i < perPatient; i++) {
                String id = UUID.nameUUIDFromBytes(("o" + p + "-" + i).getBytes(StandardCharsets.UTF_8)).toString();
                int code = i % CODES;
                String date = i % 50 == 7 ? null : String.format("2020-01-%02dT%02d:%02d:00Z", 1 + i % 28,
                        (i / 28) % 24, (p * 7 + i) % 60);
                all.add(new Obs(id, p, code, date));
                writes.add(write(db, "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"final\","
                        + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"c" + code + "\"}]},"
                        + "\"subject\":{\"reference\":\"Patient/p" + p + "\"}"
                        + (date == null ? "" : ",\"effectiveDateTime\":\"" + date + "\"") + "}"));
                if (writes.size() == 500) {
                    db.store.commit(new Commit(writes));
                    writes = new ArrayList<>();
                }
            }
        }
        db.store.commit(new Commit(writes));
        return all;
    }

    static Write write(SearchFixture db, String json) {
        Resource r = ResourceReader.read(json.getBytes(StandardCharsets.UTF_8), FhirFormat.JSON);
        return new Write(WriteMethod.CREATE, r.fhirType(), r.getIdElement().getIdPart(), Expectation.ABSENT,
                StampableJson.of(r), db.indexer.index(r));
    }

    /** Storage work (in seeks) and resource loads of one call. */
    record Cost(long work, long loads) {
    }

    static Cost cost(SearchFixture db, Runnable search) {
        search.run();
        db.counting.reset();
        search.run();
        return new Cost(db.counting.work(), db.counting.gets(ResourceKeyspaces.VERSIONS));
    }

    static void assertSameCost(String what, Supplier<SearchFixture> unused, Cost smallCost, Cost largeCost) {
        assertTrue(largeCost.work() <= smallCost.work() * 3 / 2 + 8,
                what + ": " + smallCost + " on 600 Observations but " + largeCost + " on 6,000");
    }

    @Test
    void selectivePageCostsTheSameOnTenTimesTheData() {
        String[] q = {"subject", "Patient/p1", "code", "http://loinc.org|c1", "_count", "10", "_total", "none"};
        Cost s = cost(small, () -> small.search("Observation", q));
        Cost l = cost(large, () -> large.search("Observation", q));
        assertEquals(10, s.loads());
        assertEquals(10, l.loads());
        assertSameCost("patient and code", null, s, l);
        assertTrue(l.work() < 150, "work " + l);
    }

    @Test
    void patientAndCodeCountsWithinThePatientsEntries() {
        // p1 has 200 Observations of c1 among 600 of its own and 2,000 of c1 in all: search-patient reads the 200;
        // the compartment search (not scoped) intersects p1's compartment with c1's search-value entries
        long expected = largeData.stream().filter(o -> o.patient() == 1 && o.code() == 1).count();
        var compartment = SearchRequest.inCompartment("Patient", "p1", "Observation", SearchRequest.params("code",
                "http://loinc.org|c1", "_count", "10", "_total", "accurate"));
        assertEquals(expected, large.engine.search(compartment).total().getAsLong());
        Cost plain = cost(large, () -> large.engine.search(compartment));
        for (String[] scoped : List.of(
                new String[] {"patient", "p1", "code", "http://loinc.org|c1", "_count", "10", "_total", "accurate"},
                new String[] {"subject", "Patient/p1", "code", "http://loinc.org|c1", "_count", "10", "_total",
                    "accurate"},
                new String[] {"subject:Patient", "p1", "code", "http://loinc.org|c1", "_count", "10", "_total",
                    "accurate"})) {
            assertEquals(expected, large.search("Observation", scoped).total().getAsLong());
            Cost s = cost(large, () -> large.search("Observation", scoped));
            assertEquals(10, s.loads());
            assertTrue(s.work() < 20 + 2 * 10 + expected / CountingKvStore.STEPS_PER_SEEK + 8, "scoped " + s);
            assertTrue(2 * s.work() < plain.work(), "scoped " + s + ", compartment " + plain);
        }
        String[] page = {"patient", "p1", "code", "c1", "_count", "10", "_total", "none"};
        assertSameCost("patient and code, scoped", null, cost(small, () -> small.search("Observation", page)),
                cost(large, () -> large.search("Observation", page)));
    }

    @Test
    void unfilteredAndSortedPagesStream() {
        String[] all = {"_count", "10", "_total", "none"};
        assertSameCost("all", null, cost(small, () -> small.search("Observation", all)),
                cost(large, () -> large.search("Observation", all)));
        String[] sorted = {"_sort", "-date", "_count", "10", "_total", "none"};
        Cost s = cost(small, () -> small.search("Observation", sorted));
        Cost l = cost(large, () -> large.search("Observation", sorted));
        assertEquals(10, l.loads());
        assertSameCost("sorted", null, s, l);
        // 2,000 matches of one code: found in date order from search-sort, not collected and sorted
        Cost code = cost(large, () -> large.search("Observation", "code", "c1", "_sort", "date", "_count", "10",
                "_total", "none"));
        assertEquals(10, code.loads());
        assertTrue(code.work() < 200, "sorted by date with a code: " + code);
    }

    @Test
    void includesLoadOnlyWhatThePageReferences() {
        Cost c = cost(large, () -> large.search("Observation", "subject", "Patient/p3", "_count", "10",
                "_include", "Observation:subject", "_total", "none"));
        assertEquals(11, c.loads());
    }

    @Test
    void conditionalMatchingStopsAtItsLimit() {
        var params = SearchRequest.params("code", "c2");
        Cost s = cost(small, () -> small.engine.matchIds("Observation", params, 2));
        Cost l = cost(large, () -> large.engine.matchIds("Observation", params, 2));
        assertEquals(0, l.loads());
        assertSameCost("conditional match", null, s, l);
    }

    @Test
    void totals() {
        long p1 = largeData.stream().filter(o -> o.patient() == 1).count();
        assertEquals(p1, large.search("Observation", "subject", "Patient/p1", "_total", "accurate").total()
                .getAsLong());
        assertTrue(large.search("Observation", "subject", "Patient/p1", "_total", "none").total().isEmpty());
        // no _total: exact when counting is cheap, left out when it would examine the whole type
        assertEquals(p1, large.search("Observation", "subject", "Patient/p1").total().getAsLong());
        assertTrue(large.search("Observation", "_count", "5").total().isEmpty());
        assertEquals(largeData.size(), large.search("Observation", "_count", "5", "_total", "accurate").total()
                .getAsLong());
        long c1 = largeData.stream().filter(o -> o.code() == 1).count();
        long estimate = large.search("Observation", "code", "c1", "status", "final", "_total", "estimate").total()
                .getAsLong();
        assertTrue(Math.abs(estimate - c1) <= c1 / 4, "estimate " + estimate + " for " + c1);
        assertEquals(c1, large.search("Observation", "code", "c1", "_summary", "count").total().getAsLong());
    }

    @Test
    void aRangeThatChecksManyCandidatesReadsItsMatchesWhole() {
        // 2,000 Observations have code c1, about 430 a date from the 27th: checking each candidate against the date
        // would cost 2,000 seeks; after 64 checks the range is read on, 4 entries a check, and then checked whole
        String from = "2020-01-27T00:00:00Z";
        long expected = largeData.stream().filter(o -> o.code() == 1 && o.date() != null
                && o.date().compareTo(from) >= 0).count();
        String[] q = {"code", "c1", "date", "ge" + from, "_count", "10", "_total", "accurate"};
        assertEquals(expected, large.search("Observation", q).total().getAsLong());
        Cost c = cost(large, () -> large.search("Observation", q));
        assertTrue(c.work() < 700, "code and date range: " + c);
        List<String> ids = largeData.stream().filter(o -> o.code() == 1 && o.date() != null
                && o.date().compareTo(from) >= 0).map(Obs::id).sorted().toList();
        assertWalk(largeData.stream().filter(o -> ids.contains(o.id())).sorted(Comparator.comparing(Obs::id))
                .toList(), "code", "c1", "date", "ge" + from, "_count", "40");
    }

    @Test
    void aSystemQualifiedCodeWithADateReadsOnlyTheMatches() {
        // about 70 of the 2,000 Observations of c1 have a date on the 28th: search-code-date reads just those
        String from = "2020-01-28T00:00:00Z";
        List<Obs> matches = largeData.stream().filter(o -> o.code() == 1 && o.date() != null
                && o.date().compareTo(from) >= 0).sorted(Comparator.comparing(Obs::id)).toList();
        String[] q = {"code", "http://loinc.org|c1", "date", "ge" + from, "_count", "10", "_total", "accurate"};
        assertEquals(matches.size(), large.search("Observation", q).total().getAsLong());
        Cost c = cost(large, () -> large.search("Observation", q));
        assertEquals(10, c.loads());
        assertTrue(c.work() < 20 + 3 * matches.size() / CountingKvStore.STEPS_PER_SEEK + 16, "code and date: " + c);
        assertWalk(matches, "code", "http://loinc.org|c1", "date", "ge" + from, "_count", "40");
    }

    @Test
    void reverseChainingChecksFewCandidatesOrScansFewInnerMatches() {
        // many inner matches (2,000 Observations of code c1), ten Patients: each Patient is checked by walking its
        // Observations until one has the code, rather than reading the subject of 2,000 Observations
        List<String> all = new ArrayList<>();
        for (int p = 0; p < PATIENTS; p++) {
            all.add("p" + p);
        }
        assertEquals(all, large.ids("Patient", "_has:Observation:subject:code", "c1"));
        Cost many = cost(large, () -> large.search("Patient", "_has:Observation:subject:code", "c1"));
        assertTrue(many.work() < 400, "many inner matches: " + many);
        // one inner match: its subject is read
        Obs one = largeData.stream().filter(o -> o.patient() == 3).findFirst().orElseThrow();
        assertEquals(List.of("p3"), large.ids("Patient", "_has:Observation:subject:_id", one.id()));
        Cost few = cost(large, () -> large.search("Patient", "_has:Observation:subject:_id", one.id()));
        assertTrue(few.work() < 50, "one inner match: " + few);
        // with another clause driving, and with no inner match
        assertEquals(List.of("p1", "p2"), large.ids("Patient", "_id", "p1,p2", "_has:Observation:subject:code",
                "c1"));
        assertEquals(List.of(), large.ids("Patient", "_has:Observation:subject:code", "no-such-code"));
    }

    @Test
    void everyPageWalkIsCompleteAndOrdered() {
        Comparator<Obs> byId = Comparator.comparing(Obs::id);
        Comparator<Obs> dateAsc = Comparator.comparing(Obs::date, Comparator.nullsLast(Comparator.naturalOrder()));
        Comparator<Obs> dateDesc = Comparator.comparing(Obs::date, Comparator.nullsLast(Comparator.reverseOrder()));
        List<Obs> p4 = largeData.stream().filter(o -> o.patient() == 4).toList();
        assertWalk(p4.stream().sorted(byId).toList(), "subject", "Patient/p4", "_count", "7");
        assertWalk(p4.stream().filter(o -> o.code() == 2).sorted(byId).toList(), "subject", "Patient/p4", "code",
                "c2", "_count", "9");
        assertWalk(p4.stream().sorted(dateAsc.thenComparing(byId)).toList(), "subject", "Patient/p4", "_sort",
                "date", "_count", "13");
        List<Obs> c0 = largeData.stream().filter(o -> o.code() == 0).toList();
        assertWalk(c0.stream().sorted(dateDesc.thenComparing(byId)).toList(), "code", "c0", "_sort", "-date",
                "_count", "250");
        assertWalk(largeData.stream().sorted(dateAsc.thenComparing(byId)).toList(), "_sort", "date", "_count",
                "1000");
    }

    @Test
    void sortsOnTokensReferencesAndIdsWalkInTheOrderTheirValuesGive() {
        // tokens are read in order from their search-value entries, references sorted in memory, -_id read backwards
        Comparator<Obs> byId = Comparator.comparing(Obs::id);
        // tokens sort by code, references by Patient/id: as text here, where no value is a prefix of another
        Comparator<Obs> code = Comparator.comparing(o -> "c" + o.code());
        Comparator<Obs> subject = Comparator.comparing(o -> "Patient/p" + o.patient());
        Comparator<Obs> dateDesc = Comparator.comparing(Obs::date, Comparator.nullsLast(Comparator.reverseOrder()));
        assertWalk(largeData.stream().sorted(code.thenComparing(byId)).toList(), "_sort", "code", "_count", "700");
        assertWalk(largeData.stream().sorted(code.reversed().thenComparing(byId)).toList(), "_sort", "-code",
                "_count", "700");
        List<Obs> c1 = largeData.stream().filter(o -> o.code() == 1).toList();
        assertWalk(c1.stream().sorted(subject.reversed().thenComparing(byId)).toList(), "code", "c1", "_sort",
                "-subject", "_count", "150");
        assertWalk(c1.stream().sorted(subject.thenComparing(dateDesc).thenComparing(byId)).toList(), "code", "c1",
                "_sort", "subject,-date", "_count", "150");
        assertWalk(largeData.stream().sorted(byId).toList(), "_sort", "_id", "_count", "700");
        assertWalk(largeData.stream().sorted(byId.reversed()).toList(), "_sort", "-_id", "_count", "700");
        assertWalk(c1.stream().sorted(byId.reversed()).toList(), "code", "c1", "_sort", "-_id", "_count", "150");
        List<Obs> p4 = largeData.stream().filter(o -> o.patient() == 4).toList();
        assertWalk(p4.stream().sorted(byId.reversed()).toList(), "subject", "Patient/p4", "_sort", "-_id",
                "_count", "7");
        assertWalk(p4.stream().sorted(code.reversed().thenComparing(byId)).toList(), "subject", "Patient/p4",
                "_sort", "-code", "_count", "70");
        SearchResult first = large.search("Observation", "_sort", "subject", "_count", "10");
        assertEquals(largeData.size(), first.total().getAsLong(), "sorting in memory counts every match");
    }

    @Test
    void anInMemorySortPastItsLimitIsTooCostly() {
        SearchEngine bounded = new SearchEngine(large.store, SearchFixture.REGISTRY, () -> true, 1_000);
        FhirException e = assertThrows(FhirException.class, () -> bounded.search(SearchRequest.ofType("Observation",
                SearchRequest.params("_sort", "-subject"))));
        assertEquals(400, e.status());
        assertEquals(IssueType.TOO_COSTLY, e.issueType());
        assertTrue(e.getMessage().contains("more than 1000 resources") && e.getMessage().contains("_sort=-subject"),
                e.getMessage());
        // fewer matches, and sorts read in order, are not bounded
        assertEquals(10, bounded.search(SearchRequest.ofType("Observation", SearchRequest.params("subject",
                "Patient/p1", "_sort", "-subject", "_count", "10"))).matches().size());
        for (String sort : List.of("-date", "_id", "-_id", "_lastUpdated", "code", "-code", "_profile")) {
            assertEquals(10, bounded.search(SearchRequest.ofType("Observation", SearchRequest.params("_sort", sort,
                    "_count", "10"))).matches().size(), sort);
        }
    }

    @Test
    void sortsByIdAndTokensReadNoSortEntriesAndStopAfterThePage() {
        for (String sort : List.of("_id", "-_id", "code", "-code")) {
            String[] q = {"_sort", sort, "_count", "10", "_total", "none"};
            assertSameCost("_sort=" + sort, null, cost(small, () -> small.search("Observation", q)),
                    cost(large, () -> large.search("Observation", q)));
        }
    }

    /** Walks forward to the end and back to the start, checking both against the expected order. */
    static void assertWalk(List<Obs> expected, String... params) {
        List<String> want = expected.stream().map(Obs::id).toList();
        List<String> forward = new ArrayList<>();
        List<SearchResult> pages = new ArrayList<>();
        SearchResult page = large.search("Observation", params);
        while (true) {
            pages.add(page);
            page.matches().forEach(m -> forward.add(m.id()));
            if (page.next().isEmpty()) {
                break;
            }
            page = large.search("Observation", with(params, page.next().get()));
        }
        assertEquals(want, forward, String.join("&", params));
        List<String> backward = new ArrayList<>();
        SearchResult last = pages.get(pages.size() - 1);
        last.matches().reversed().forEach(m -> backward.add(m.id()));
        page = last;
        while (page.previous().isPresent()) {
            page = large.search("Observation", with(params, page.previous().get()));
            page.matches().reversed().forEach(m -> backward.add(m.id()));
        }
        assertEquals(want.reversed(), backward, "backward " + String.join("&", params));
    }

    static String[] with(String[] params, String cursor) {
        List<String> out = new ArrayList<>(List.of(params));
        out.add("_cursor");
        out.add(cursor);
        return out.toArray(String[]::new);
    }

    @Test
    void cursorIgnoresResourcesCreatedBeforeIt() {
        try (SearchFixture db = new SearchFixture(smallDir.resolve("stable"))) {
            generate(db, 20);
            SearchResult first = db.search("Observation", "subject", "Patient/p2", "_count", "5");
            Set<String> seen = new HashSet<>();
            first.matches().forEach(m -> seen.add(m.id()));
            String lastId = first.matches().get(4).id();
            db.create("{\"resourceType\":\"Observation\",\"id\":\"0000-new\",\"status\":\"final\",\"code\":{\"text\":"
                    + "\"x\"},\"subject\":{\"reference\":\"Patient/p2\"}}");
            SearchResult second = db.search("Observation", "subject", "Patient/p2", "_count", "5", "_cursor",
                    first.next().orElseThrow());
            for (ResourceVersion m : second.matches()) {
                assertTrue(seen.add(m.id()), "repeated " + m.id());
                assertTrue(m.id().compareTo(lastId) > 0);
            }
            assertEquals(5, second.matches().size());
        }
    }
}
