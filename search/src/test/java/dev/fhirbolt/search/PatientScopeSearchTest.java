package dev.fhirbolt.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.fhir.FhirFormat;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.search.query.IndexReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Searches answered from search-patient (patient=X with code or category, chains to patients, _has through patient)
 * and from search-code-date (code=system|c with a date) give exactly the matches computed from the generated data,
 * page by page and with their totals, and the entries follow updates and deletions. Also on a real Synthea patient.
 */
class PatientScopeSearchTest {

    static final int PATIENTS = 5;
    static final String LOINC = "http://loinc.org";
    static final String CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";

    @TempDir
    static Path dir;
    static SearchFixture db;
    static final List<Obs> DATA = new ArrayList<>();

    /** One generated Observation: subject Patient/p{patient} (a Group when patient is negative). */
    record Obs(String id, int patient, int code, String category, int day) {
    }

    @BeforeAll
    static void load() throws Exception {
        db = new SearchFixture(dir);
        db.loadBundle("synthea-lavern.json");
        for (int p = 0; p < PATIENTS; p++) {
            db.create("{\"resourceType\":\"Patient\",\"id\":\"p" + p + "\",\"name\":[{\"family\":\"Fam" + (p % 2)
                    + "\"}]}");
        }
        for (int i = 0; i < 120; i++) {
            int patient = i % 11 == 3 ? -1 : i % PATIENTS;
            Obs o = new Obs(String.format("o%03d", (i * 37) % 120), patient, i % 3, i % 4 == 0 ? "laboratory"
                    : "vital-signs", 1 + i % 28);
            DATA.add(o);
            db.create(json(o));
        }
    }

    static String json(Obs o) {
        return "{\"resourceType\":\"Observation\",\"id\":\"" + o.id() + "\",\"status\":\"final\","
                + "\"category\":[{\"coding\":[{\"system\":\"" + CATEGORY + "\",\"code\":\"" + o.category() + "\"}]}],"
                + "\"code\":{\"coding\":[{\"system\":\"" + LOINC + "\",\"code\":\"c" + o.code() + "\"}]},"
                + "\"subject\":{\"reference\":\"" + (o.patient() < 0 ? "Group/g" : "Patient/p" + o.patient()) + "\"},"
                + "\"effectiveDateTime\":\"2020-01-" + String.format("%02d", o.day()) + "T10:00:00Z\"}";
    }

    @AfterAll
    static void close() {
        db.close();
    }

    static List<String> expected(Predicate<Obs> match) {
        return DATA.stream().filter(match).map(Obs::id).sorted().toList();
    }

    /** Every match of a search, through all its pages. */
    static List<String> allPages(String type, String... nameValues) {
        List<String> ids = new ArrayList<>();
        SearchResult page = db.search(type, nameValues);
        ids.addAll(ids(page.matches()));
        while (page.next().isPresent()) {
            List<String> next = new ArrayList<>(List.of(nameValues));
            next.add("_cursor");
            next.add(page.next().get());
            page = db.search(type, next.toArray(String[]::new));
            ids.addAll(ids(page.matches()));
        }
        return ids;
    }

    @Test
    void patientAndCodeInEveryForm() {
        for (int p = 0; p < PATIENTS; p++) {
            for (int c = 0; c < 3; c++) {
                int patient = p;
                int code = c;
                List<String> want = expected(o -> o.patient() == patient && o.code() == code);
                assertFalse(want.isEmpty());
                assertEquals(want, db.ids("Observation", "patient", "p" + p, "code", LOINC + "|c" + c));
                assertEquals(want, db.ids("Observation", "patient", "Patient/p" + p, "code", "c" + c));
                assertEquals(want, db.ids("Observation", "code", "c" + c, "patient", "p" + p));
                assertEquals(want, db.ids("Observation", "subject", "Patient/p" + p, "code", LOINC + "|c" + c));
                assertEquals(want, db.ids("Observation", "subject:Patient", "p" + p, "code", LOINC + "|c" + c));
                // the compartment search is not scoped: it intersects the compartment with search-value
                assertEquals(want, compartment("p" + p, "Observation", "code", "c" + c));
                assertEquals(want.size(), db.search("Observation", "patient", "p" + p, "code", "c" + c)
                        .total().getAsLong());
            }
        }
        assertEquals(List.of(), db.ids("Observation", "patient", "p1", "code", "http://snomed.info/sct|c1"));
        assertEquals(List.of(), db.ids("Observation", "patient", "nobody", "code", "c1"));
        assertEquals(expected(o -> o.patient() == 2 && o.code() == 1),
                db.ids("Observation", "patient", "p2", "code", "c1", "code:not", "c0"));
    }

    @Test
    void orListsAndTwoScopedClauses() {
        assertEquals(expected(o -> (o.patient() == 1 || o.patient() == 3) && o.code() != 2),
                db.ids("Observation", "patient", "p1,Patient/p3", "code", "c0,http://loinc.org|c1"));
        assertEquals(expected(o -> o.patient() == 4 && o.code() == 0 && o.category().equals("laboratory")),
                db.ids("Observation", "patient", "p4", "code", "c0", "category", CATEGORY + "|laboratory"));
        assertEquals(expected(o -> o.patient() == 0 && o.category().equals("vital-signs")),
                db.ids("Observation", "patient", "p0", "category", "vital-signs"));
        // a patient clause AND'ed twice: one is scoped, the other checks
        assertEquals(List.of(), db.ids("Observation", "patient", "p0", "patient", "p1", "code", "c0"));
        // not scoped (system only, negation): the same answers the usual way
        assertEquals(expected(o -> o.patient() == 0), db.ids("Observation", "patient", "p0", "code", LOINC + "|"));
        assertEquals(expected(o -> o.patient() == 0 && o.code() != 0),
                db.ids("Observation", "patient", "p0", "code:not", "c0"));
    }

    @Test
    void patientCodeAndDate() {
        assertEquals(expected(o -> o.patient() == 3 && o.code() == 2 && o.day() >= 15),
                db.ids("Observation", "patient", "p3", "code", "c2", "date", "ge2020-01-15"));
        assertEquals(expected(o -> o.patient() == 3 && o.day() < 10),
                db.ids("Observation", "patient", "p3", "date", "lt2020-01-10"));
    }

    @Test
    void codeAndDateFromSearchCodeDate() {
        assertEquals(expected(o -> o.code() == 2 && o.day() >= 20),
                allPages("Observation", "code", LOINC + "|c2", "date", "ge2020-01-20", "_count", "3"));
        assertEquals(expected(o -> o.code() == 2 && o.day() >= 20).size(), db.search("Observation", "code",
                LOINC + "|c2", "date", "ge2020-01-20", "_count", "3").total().getAsLong());
        assertEquals(expected(o -> o.code() != 1 && o.day() >= 5 && o.day() < 9), db.ids("Observation", "code",
                LOINC + "|c0," + LOINC + "|c2", "date", "ge2020-01-05", "date", "lt2020-01-09"));
        assertEquals(expected(o -> o.code() == 0 && (o.day() == 3 || o.day() == 17)), db.ids("Observation", "code",
                LOINC + "|c0", "date", "2020-01-03,2020-01-17"));
        assertEquals(expected(o -> o.code() == 0 && o.day() != 3), db.ids("Observation", "code",
                LOINC + "|c0", "date", "ne2020-01-03", "_count", "100"));
        assertEquals(expected(o -> o.code() == 1 && o.day() <= 4 && o.category().equals("laboratory")),
                db.ids("Observation", "code", LOINC + "|c1", "date", "le2020-01-04", "category", "laboratory"));
        // without a system the code is not paired with dates: the same answers the usual way
        assertEquals(expected(o -> o.code() == 2 && o.day() >= 20), db.ids("Observation", "code", "c2", "date",
                "ge2020-01-20"));
        assertEquals(List.of(SyntheaSearchTest.HEIGHT_2016),
                db.ids("Observation", "code", "http://loinc.org|8302-2", "date", "ge2016"));
        assertEquals(List.of(), db.ids("Observation", "code", "http://loinc.org|8302-2", "date", "ge2030"));
    }

    @Test
    void pagesAndTotals() {
        List<String> want = expected(o -> o.patient() == 1 && o.category().equals("vital-signs"));
        assertTrue(want.size() > 10);
        assertEquals(want, allPages("Observation", "patient", "p1", "category", "vital-signs", "_count", "4"));
        assertEquals(want.size(), db.search("Observation", "patient", "p1", "category", "vital-signs", "_count", "4",
                "_total", "accurate").total().getAsLong());
        assertEquals(want.size(), db.search("Observation", "patient", "p1", "category", "vital-signs", "_count", "4")
                .total().getAsLong());
        assertEquals(want.size(), db.search("Observation", "patient", "p1", "category", "vital-signs",
                "_summary", "count").total().getAsLong());
        List<String> sorted = db.ids("Observation", "patient", "p1", "category", "vital-signs", "_sort", "date",
                "_count", "100");
        assertEquals(new TreeSet<>(want), new TreeSet<>(sorted));
    }

    @Test
    void chainAndHasThroughThePatient() {
        assertEquals(expected(o -> o.patient() >= 0 && o.patient() % 2 == 1 && o.code() == 0),
                db.ids("Observation", "patient.family", "Fam1", "code", "c0"));
        assertEquals(List.of("p0", "p1", "p2", "p3", "p4"), db.ids("Patient", "_has:Observation:patient:code", "c1"));
        assertEquals(List.of(), db.ids("Patient", "_has:Observation:patient:code", "c9"));
        assertEquals(List.of(SyntheaSearchTest.PATIENT),
                db.ids("Patient", "_has:Observation:patient:code", "http://loinc.org|8302-2"));
        assertEquals(List.of(SyntheaSearchTest.PATIENT),
                db.ids("Patient", "_has:Condition:patient:code", "http://snomed.info/sct|444814009,nope"));
    }

    @Test
    void subjectToAGroupIsNotScoped() {
        assertEquals(expected(o -> o.patient() < 0 && o.code() == 1), db.ids("Observation", "subject", "Group/g",
                "code", "c1"));
        assertEquals(expected(o -> (o.patient() < 0 || o.patient() == 1) && o.code() == 1),
                db.ids("Observation", "subject", "Group/g,Patient/p1", "code", "c1"));
    }

    /** The ids of the first page of a search in a patient's compartment. */
    static List<String> compartment(String patient, String type, String... nameValues) {
        return ids(db.engine.search(SearchRequest.inCompartment("Patient", patient, type,
                SearchRequest.params(nameValues))).matches());
    }

    @Test
    void realSyntheaPatient() {
        String p = SyntheaSearchTest.PATIENT;
        assertEquals(List.of(SyntheaSearchTest.HEIGHT_2016, SyntheaSearchTest.HEIGHT_2015),
                db.ids("Observation", "patient", p, "code", "http://loinc.org|8302-2"));
        assertEquals(List.of(SyntheaSearchTest.HEIGHT_2016),
                db.ids("Observation", "patient", p, "code", "8302-2", "date", "2016"));
        // every code of the patient's Observations and Conditions: the scoped answer equals the leapfrogged one
        for (String type : List.of("Observation", "Condition", "Procedure", "DiagnosticReport")) {
            SearchResult all = db.search(type, "patient", p, "_count", "1000");
            TreeSet<String> codes = new TreeSet<>();
            try (var snapshot = db.kv.snapshot(); var reader = new IndexReader(snapshot)) {
                for (ResourceVersion v : all.matches()) {
                    for (byte[] value : reader.values(type, v.id(), "code")) {
                        if (value[0] == Encoded.SYSTEM_CODE) {
                            String[] parts = Encoded.parts(value);
                            codes.add(parts[0] + "|" + parts[1]);
                        }
                    }
                }
            }
            for (String code : codes) {
                List<String> scoped = db.ids(type, "patient", p, "code", code, "_count", "1000");
                assertFalse(scoped.isEmpty(), type + " " + code);
                assertEquals(compartment(p, type, "code", code, "_count", "1000"), scoped);
            }
        }
    }

    @Test
    void entriesFollowUpdatesAndDeletes() {
        db.create("{\"resourceType\":\"Observation\",\"id\":\"moving\",\"status\":\"final\",\"code\":{\"coding\":"
                + "[{\"system\":\"http://loinc.org\",\"code\":\"m1\"}]},\"subject\":{\"reference\":\"Patient/p0\"}}");
        assertEquals(List.of("moving"), db.ids("Observation", "patient", "p0", "code", "m1"));
        db.update(ResourceReader.read(("{\"resourceType\":\"Observation\",\"id\":\"moving\",\"status\":\"final\","
                + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"m2\"}]},"
                + "\"effectiveDateTime\":\"2021-03-04\","
                + "\"subject\":{\"reference\":\"Patient/p1\"}}").getBytes(StandardCharsets.UTF_8), FhirFormat.JSON));
        assertEquals(List.of(), db.ids("Observation", "patient", "p0", "code", "m1"));
        assertEquals(List.of(), db.ids("Observation", "patient", "p0", "code", "m2"));
        assertEquals(List.of(), db.ids("Observation", "patient", "p1", "code", "m1"));
        assertEquals(List.of("moving"), db.ids("Observation", "patient", "p1", "code", "m2"));
        assertEquals(List.of("p1"), db.ids("Patient", "_has:Observation:patient:code", "m2"));
        assertEquals(List.of("moving"), db.ids("Observation", "code", "http://loinc.org|m2", "date", "2021"));
        db.delete("Observation", "moving");
        assertEquals(List.of(), db.ids("Observation", "code", "http://loinc.org|m2", "date", "2021"));
        assertEquals(List.of(), db.ids("Observation", "patient", "p1", "code", "m2"));
        assertEquals(List.of(), db.ids("Patient", "_has:Observation:patient:code", "m2"));
    }

    static List<String> ids(List<ResourceVersion> versions) {
        return versions.stream().map(ResourceVersion::id).toList();
    }
}
