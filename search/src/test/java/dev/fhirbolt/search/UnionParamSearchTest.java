package dev.fhirbolt.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.fhir.FhirFormat;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.search.index.ResourceIndexer;
import dev.fhirbolt.search.index.SortKeys;
import dev.fhirbolt.search.index.ValueRecord;
import dev.fhirbolt.search.param.CompiledParam;
import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Observation's combo-* parameters, unions of other parameters that have no index entries of their own: every search
 * on them must answer as the parameter's own expression does, which {@code InMemoryMatch} evaluates on each resource.
 */
public class UnionParamSearchTest {

    @TempDir
    static Path dir;
    static SearchFixture db;
    static final Map<String, Resource> OBSERVATIONS = new LinkedHashMap<>();
    static final Map<String, Resource> REPORTS = new LinkedHashMap<>();

    @BeforeAll
    static void load() {
        db = new SearchFixture(dir);
        for (int p = 0; p < 3; p++) {
            db.create("{\"resourceType\":\"Patient\",\"id\":\"p" + p + "\"}");
        }
        for (int i = 0; i < 200; i++) {
            String id = String.format("o%03d", i);
            Resource r = read(observation(id, i));
            db.create(r);
            OBSERVATIONS.put(id, r);
        }
        for (int j = 0; j < 20; j++) {
            String id = "d" + j;
            Resource r = read("{\"resourceType\":\"DiagnosticReport\",\"id\":\"" + id + "\",\"status\":\"final\","
                    + "\"code\":{\"text\":\"r\"},\"result\":[{\"reference\":\"Observation/"
                    + String.format("o%03d", j * 10 + j % 4) + "\"}]}");
            db.create(r);
            REPORTS.put(id, r);
        }
    }

    /** Every shape the combo parameters draw from: code, value, components, data-absent reasons, units. */
    public static String observation(String id, int i) {
        StringBuilder b = new StringBuilder("{\"resourceType\":\"Observation\",\"id\":\"" + id
                + "\",\"status\":\"final\",\"subject\":{\"reference\":\"Patient/p" + i % 3 + "\"},");
        if (i % 11 == 0) {
            b.append("\"code\":{\"coding\":[{\"code\":\"c" + i % 5 + "\"}]}");
        } else if (i % 13 == 0) {
            b.append("\"code\":{\"coding\":[{\"system\":\"http://loinc.org\"}],\"text\":\"only a system\"}");
        } else {
            b.append("\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"c" + i % 5
                    + "\",\"display\":\"Code " + i % 5 + "\"}]}");
        }
        switch (i % 4) {
            case 0 -> b.append(i % 8 == 4
                    ? ",\"valueQuantity\":{\"value\":" + i / 1000.0 + ",\"unit\":\"gram\","
                            + "\"system\":\"http://unitsofmeasure.org\",\"code\":\"g\"}"
                    : ",\"valueQuantity\":{\"value\":" + i + ",\"unit\":\"mg\","
                            + "\"system\":\"http://unitsofmeasure.org\",\"code\":\"mg\"}");
            case 1 -> b.append(",\"valueCodeableConcept\":{\"coding\":[{\"system\":\"http://x\",\"code\":\"v" + i % 3
                    + "\"}],\"text\":\"Value " + i % 3 + "\"}");
            case 2 -> b.append(",\"component\":[{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\","
                    + "\"code\":\"comp-a\"}]},\"valueQuantity\":{\"value\":" + i * 2 + ",\"system\":"
                    + "\"http://unitsofmeasure.org\",\"code\":\"mm[Hg]\"}},{\"code\":{\"coding\":[{\"system\":"
                    + "\"http://loinc.org\",\"code\":\"comp-b\"}]},\"valueCodeableConcept\":{\"coding\":[{\"system\":"
                    + "\"http://x\",\"code\":\"cv" + i % 2 + "\"}]}}]");
            default -> b.append(",\"dataAbsentReason\":{\"coding\":[{\"system\":"
                    + "\"http://terminology.hl7.org/CodeSystem/data-absent-reason\",\"code\":\"unknown\"}]},"
                    + "\"component\":[{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"comp-c\"}]},"
                    + "\"dataAbsentReason\":{\"coding\":[{\"system\":"
                    + "\"http://terminology.hl7.org/CodeSystem/data-absent-reason\",\"code\":\"masked\"}]}}]");
        }
        return b.append("}").toString();
    }

    static Resource read(String json) {
        Resource r = ResourceReader.read(json.getBytes(StandardCharsets.UTF_8), FhirFormat.JSON);
        r.setId(r.getIdElement().getIdPart());
        return r;
    }

    @AfterAll
    static void close() {
        db.close();
    }

    public static final List<List<String>> QUERIES = List.of(
            List.of("combo-code", "c1"),
            List.of("combo-code", "http://loinc.org|c1"),
            List.of("combo-code", "|c3"),
            List.of("combo-code", "http://loinc.org|"),
            List.of("combo-code", "comp-a"),
            List.of("combo-code", "http://loinc.org|comp-b"),
            List.of("combo-code", "c1,comp-c"),
            List.of("combo-code:text", "code 1"),
            List.of("combo-code:text", "only"),
            List.of("combo-code:not", "c1"),
            List.of("combo-code:not", "comp-a"),
            List.of("combo-code:missing", "true"),
            List.of("combo-code:missing", "false"),
            List.of("combo-value-quantity", "gt100"),
            List.of("combo-value-quantity", "lt20"),
            List.of("combo-value-quantity", "ge100"),
            List.of("combo-value-quantity", "le100"),
            List.of("combo-value-quantity", "100"),
            List.of("combo-value-quantity", "eq100"),
            List.of("combo-value-quantity", "ne100"),
            List.of("combo-value-quantity", "ap100"),
            List.of("combo-value-quantity", "sa300"),
            List.of("combo-value-quantity", "eb10"),
            List.of("combo-value-quantity", "100||mg"),
            List.of("combo-value-quantity", "le100|http://unitsofmeasure.org|mg"),
            List.of("combo-value-quantity", "gt0.05|http://unitsofmeasure.org|g"),
            List.of("combo-value-quantity", "ge180||mm[Hg]"),
            List.of("combo-value-quantity:missing", "true"),
            List.of("combo-value-quantity:missing", "false"),
            List.of("combo-code-value-quantity", "c0$gt50"),
            List.of("combo-code-value-quantity", "http://loinc.org|comp-a$lt100"),
            List.of("combo-code-value-quantity", "comp-a$ge200||mm[Hg]"),
            List.of("combo-code-value-quantity", "c4$ne40"),
            List.of("combo-code-value-quantity", "c0$gt50,comp-a$lt20"),
            List.of("combo-code-value-quantity:missing", "true"),
            List.of("combo-value-concept", "v1"),
            List.of("combo-value-concept", "http://x|cv1"),
            List.of("combo-value-concept", "http://x|"),
            List.of("combo-value-concept:not", "v1"),
            List.of("combo-value-concept:text", "value 2"),
            List.of("combo-code-value-concept", "c1$v1"),
            List.of("combo-code-value-concept", "comp-b$cv0"),
            List.of("combo-code-value-concept", "http://loinc.org|comp-b$http://x|cv1"),
            List.of("combo-data-absent-reason", "unknown"),
            List.of("combo-data-absent-reason", "http://terminology.hl7.org/CodeSystem/data-absent-reason|masked"),
            List.of("combo-data-absent-reason:missing", "false"),
            // with a streaming clause, so that the combo clause checks candidates (and reads its matches whole)
            List.of("status", "final", "combo-value-quantity", "gt150"),
            List.of("status", "final", "combo-code", "comp-c"),
            List.of("status", "final", "combo-code:missing", "true"),
            List.of("status", "final", "combo-code-value-quantity", "comp-a$gt300"),
            List.of("code", "c2", "combo-code", "comp-a"),
            List.of("combo-code", "c1", "combo-value-quantity", "lt50"),
            List.of("subject", "Patient/p1", "combo-code:not", "comp-a"),
            // two values of a union: four streams merged (a merge of merges would lose ids when sought)
            List.of("subject", "Patient/p2", "combo-value-concept", "cv0,v2"),
            List.of("subject", "Patient/p2", "combo-value-concept", "v2"),
            List.of("combo-value-concept", "cv0,v2"),
            List.of("subject", "Patient/p2", "value-concept", "v2"));

    @Test
    void everySearchOnAUnionAnswersAsItsOwnExpression() {
        List<String> failed = new ArrayList<>();
        for (List<String> query : QUERIES) {
            Map<String, List<String>> params = SearchRequest.params(query.toArray(String[]::new));
            Set<String> expected = new TreeSet<>();
            for (Resource r : OBSERVATIONS.values()) {
                if (db.engine.matchesInMemory(r, params).orElseThrow(() -> new AssertionError("in memory: " + query))) {
                    expected.add(r.getIdElement().getIdPart());
                }
            }
            List<String> found = db.ids("Observation", concat(query, "_count", "500"));
            if (!new ArrayList<>(expected).equals(found)) {
                failed.add(query + ": expected " + expected + ", found " + found);
            }
        }
        assertEquals(List.of(), failed);
    }

    @Test
    void pagesFollowOneAnother() {
        for (List<String> query : List.of(List.of("combo-code", "comp-a,c1"), List.of("combo-value-quantity", "gt50"),
                List.of("status", "final", "combo-value-quantity", "lt150"))) {
            List<String> all = db.ids("Observation", concat(query, "_count", "500"));
            List<String> paged = new ArrayList<>();
            SearchResult page = db.search("Observation", concat(query, "_count", "7"));
            while (true) {
                page.matches().forEach(v -> paged.add(v.id()));
                if (page.next().isEmpty()) {
                    break;
                }
                page = db.search("Observation", concat(query, "_count", "7", "_cursor", page.next().get()));
            }
            assertEquals(all, paged, query.toString());
        }
    }

    static String[] concat(List<String> query, String... more) {
        List<String> all = new ArrayList<>(query);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void aCompositeIsOneValuePerElementWithEachComponentsValues() {
        try (var snapshot = db.kv.snapshot(); var reader = new dev.fhirbolt.search.query.IndexReader(snapshot)) {
            List<byte[]> values = reader.values("Observation", "o000", "code-value-quantity");
            assertEquals(1, values.size(), "one Observation, one value");
            List<List<byte[]>> components = dev.fhirbolt.search.index.CompositeValues.components(values.get(0));
            assertEquals(2, components.size());
            assertEquals(2, components.get(0).size(), "the code as C and N");
            assertEquals(4, components.get(1).size(), "0 mg: no unit, mg, its system and mg, canonical g");
            assertEquals(1, reader.values("Observation", "o002", "component-code-value-quantity").size());
            assertEquals(1, reader.values("Observation", "o002", "component-code-value-concept").size());
        }
    }

    @Test
    void theTotalsCountEveryMatch() {
        SearchResult r = db.search("Observation", "combo-code", "comp-a", "_total", "accurate", "_count", "3");
        assertEquals(50, r.total().getAsLong());
    }

    @Test
    void chainsAndHasThroughAUnion() {
        Set<String> matching = new TreeSet<>();
        for (Resource r : OBSERVATIONS.values()) {
            if (db.engine.matchesInMemory(r, Map.of("combo-code", List.of("comp-a"))).orElseThrow()) {
                matching.add(r.getIdElement().getIdPart());
            }
        }
        List<String> reports = new ArrayList<>();
        REPORTS.forEach((id, r) -> {
            String result = ((org.hl7.fhir.r4.model.DiagnosticReport) r).getResultFirstRep().getReferenceElement()
                    .getIdPart();
            if (matching.contains(result)) {
                reports.add(id);
            }
        });
        reports.sort(null);
        assertFalse(reports.isEmpty());
        assertEquals(reports, db.ids("DiagnosticReport", "result.combo-code", "comp-a", "_count", "100"));
        Set<String> patients = new TreeSet<>();
        for (Resource r : OBSERVATIONS.values()) {
            if (db.engine.matchesInMemory(r, Map.of("combo-value-quantity", List.of("gt390"))).orElseThrow()) {
                patients.add(((org.hl7.fhir.r4.model.Observation) r).getSubject().getReferenceElement().getIdPart());
            }
        }
        assertEquals(1, patients.size());
        assertEquals(new ArrayList<>(patients), db.ids("Patient", "_has:Observation:subject:combo-value-quantity",
                "gt390"));
    }

    @Test
    void aSortOnAUnionFollowsItsValues() {
        CompiledParam param = SearchFixture.REGISTRY.find("Observation", "combo-value-quantity").orElseThrow();
        for (boolean descending : new boolean[] {false, true}) {
            List<String> expected = new ArrayList<>(OBSERVATIONS.keySet());
            Map<String, byte[]> keys = new LinkedHashMap<>();
            OBSERVATIONS.forEach((id, r) -> {
                byte[][] k = SortKeys.of(ResourceIndexer.values(r, param, SearchFixture.REGISTRY::byUrl));
                keys.put(id, k == null ? null : k[descending ? 1 : 0]);
            });
            Comparator<byte[]> byKey = descending ? (a, b) -> Arrays.compareUnsigned(b, a) : Arrays::compareUnsigned;
            expected.sort(Comparator.comparing((String id) -> keys.get(id), Comparator.nullsLast(byKey))
                    .thenComparing(Comparator.naturalOrder()));
            List<String> all = new ArrayList<>();
            SearchResult page = db.search("Observation", "_sort", (descending ? "-" : "") + "combo-value-quantity",
                    "_count", "500");
            page.matches().forEach(v -> all.add(v.id()));
            assertEquals(expected, all, descending ? "descending" : "ascending");
            List<String> small = db.ids("Observation", "_sort", (descending ? "-" : "") + "combo-value-quantity",
                    "_count", "7");
            assertEquals(expected.subList(0, 7), small);
        }
    }

    @Test
    void unionsAreFoundFromTheExpressionsAndGetNoEntriesOfTheirOwn() {
        Set<String> unions = new TreeSet<>();
        for (String type : dev.fhirbolt.fhir.Fhir.resourceTypes()) {
            for (String code : SearchFixture.REGISTRY.forType(type).keySet()) {
                if (SearchFixture.REGISTRY.isUnion(type, code)) {
                    unions.add(type + "." + code + "=" + SearchFixture.REGISTRY.storedCodes(type, code));
                }
            }
        }
        assertEquals(new TreeSet<>(List.of(
                "Observation.combo-code=[code, component-code]",
                "Observation.combo-value-quantity=[component-value-quantity, value-quantity]",
                "Observation.combo-value-concept=[component-value-concept, value-concept]",
                "Observation.combo-data-absent-reason=[component-data-absent-reason, data-absent-reason]",
                "Observation.combo-code-value-quantity=[code-value-quantity, component-code-value-quantity]",
                "Observation.combo-code-value-concept=[code-value-concept, component-code-value-concept]")),
                unions);
        byte[] combo = Bytes.utf8("combo-");
        try (KvSnapshot s = db.kv.snapshot()) {
            try (KvCursor c = s.cursor(SearchKeyspaces.VALUE)) {
                c.seek(combo);
                assertFalse(c.isValid() && Bytes.startsWith(c.key(), combo), "a search-value key of a union");
            }
            try (KvCursor c = s.cursor(SearchKeyspaces.SORT)) {
                for (c.seekToFirst(); c.isValid(); c.next()) {
                    assertFalse(new String(c.key(), StandardCharsets.ISO_8859_1).contains("\0combo-"));
                }
            }
            try (KvCursor c = s.cursor(SearchKeyspaces.RESOURCE)) {
                int records = 0;
                for (c.seekToFirst(); c.isValid(); c.next(), records++) {
                    ValueRecord.forEach(c.value(), (code, values) -> assertFalse(code.startsWith("combo-"), code));
                }
                assertTrue(records > 200);
            }
        }
    }
}
