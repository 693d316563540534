package dev.fhirbolt.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fhirbolt.common.FhirException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token :in, :not-in, :below, :above from stored ValueSets and CodeSystems; reference :below/:above. */
class TerminologySearchTest {

    static final String CS = "http://example.org/cs";

    @TempDir
    static Path dir;
    static SearchFixture db;

    @BeforeAll
    static void load() {
        db = new SearchFixture(dir);
        db.create("{\"resourceType\":\"CodeSystem\",\"id\":\"cs\",\"url\":\"" + CS + "\",\"status\":\"active\","
                + "\"content\":\"complete\",\"concept\":[{\"code\":\"A\",\"concept\":[{\"code\":\"A1\",\"concept\":"
                + "[{\"code\":\"A1a\"}]},{\"code\":\"A2\"}]},{\"code\":\"B\"},{\"code\":\"B1\",\"property\":["
                + "{\"code\":\"parent\",\"valueCode\":\"B\"}]}]}");
        valueSet("vs-enum", "\"compose\":{\"include\":[{\"system\":\"" + CS + "\",\"concept\":[{\"code\":\"A1\"},"
                + "{\"code\":\"B\"}]}]}");
        valueSet("vs-expansion", "\"expansion\":{\"timestamp\":\"2020-01-01\",\"contains\":[{\"system\":\"" + CS
                + "\",\"code\":\"A2\"}]}");
        valueSet("vs-loinc", "\"compose\":{\"include\":[{\"system\":\"http://loinc.org\"}]}");
        valueSet("vs-isa", "\"compose\":{\"include\":[{\"system\":\"" + CS + "\",\"filter\":[{\"property\":"
                + "\"concept\",\"op\":\"is-a\",\"value\":\"A1\"}]}]}");
        valueSet("vs-minus-b", "\"compose\":{\"include\":[{\"system\":\"" + CS + "\"}],\"exclude\":[{\"system\":\""
                + CS + "\",\"concept\":[{\"code\":\"B\"},{\"code\":\"B1\"}]}]}");
        valueSet("vs-import", "\"compose\":{\"include\":[{\"valueSet\":[\"http://x/vs-expansion\"]}]}");
        observation("o1", CS, "A");
        observation("o2", CS, "A1");
        observation("o3", CS, "A1a");
        observation("o4", CS, "A2");
        observation("o5", CS, "B");
        observation("o6", "http://loinc.org", "1234-5");
        observation("o7", CS, "B1");
        location("L1", null);
        location("L2", "L1");
        location("L3", "L2");
        location("L4", "L1");
        location("L5", null);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    static void valueSet(String id, String body) {
        db.create("{\"resourceType\":\"ValueSet\",\"id\":\"" + id + "\",\"url\":\"http://x/" + id
                + "\",\"status\":\"active\"," + body + "}");
    }

    static void observation(String id, String system, String code) {
        db.create("{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"final\",\"code\":{\"coding\":"
                + "[{\"system\":\"" + system + "\",\"code\":\"" + code + "\"}]}}");
    }

    static void location(String id, String partOf) {
        db.create("{\"resourceType\":\"Location\",\"id\":\"" + id + "\"" + (partOf == null ? ""
                : ",\"partOf\":{\"reference\":\"Location/" + partOf + "\"}") + "}");
    }

    static List<String> obs(String... params) {
        return db.ids("Observation", params);
    }

    @Test
    void inAValueSet() {
        assertEquals(List.of("o2", "o5"), obs("code:in", "http://x/vs-enum"));
        assertEquals(List.of("o4"), obs("code:in", "ValueSet/vs-expansion"));
        assertEquals(List.of("o6"), obs("code:in", "http://x/vs-loinc"));
        assertEquals(List.of("o2", "o3"), obs("code:in", "http://x/vs-isa"));
        assertEquals(List.of("o1", "o2", "o3", "o4"), obs("code:in", "http://x/vs-minus-b"));
        assertEquals(List.of("o4"), obs("code:in", "http://x/vs-import"));
        assertEquals(List.of("o2", "o4", "o5"), obs("code:in", "http://x/vs-enum,http://x/vs-expansion"));
        assertEquals(List.of("o5"), obs("code:in", "http://x/vs-enum", "code", "B"));
    }

    @Test
    void notInAValueSet() {
        assertEquals(List.of("o1", "o3", "o4", "o6", "o7"), obs("code:not-in", "http://x/vs-enum"));
    }

    @Test
    void belowAndAboveInACodeSystem() {
        assertEquals(List.of("o2", "o3"), obs("code:below", CS + "|A1"));
        assertEquals(List.of("o1", "o2", "o3", "o4"), obs("code:below", CS + "|A"));
        assertEquals(List.of("o5", "o7"), obs("code:below", CS + "|B"));
        assertEquals(List.of("o1", "o2", "o3"), obs("code:above", CS + "|A1a"));
    }

    @Test
    void unknownTerminologyIsAnError() {
        assertEquals(400, assertThrows(FhirException.class, () -> obs("code:in", "http://x/nope")).status());
        assertEquals(400, assertThrows(FhirException.class, () -> obs("code:below", "http://nope|A")).status());
        assertEquals(400, assertThrows(FhirException.class, () -> obs("code:below", "A")).status());
    }

    @Test
    void referenceHierarchies() {
        assertEquals(List.of("L2", "L3", "L4"), db.ids("Location", "partof:below", "Location/L1"));
        assertEquals(List.of("L3"), db.ids("Location", "partof:below", "L2"));
        assertEquals(List.of("L2", "L3", "L4"), db.ids("Location", "partof:above", "Location/L3"));
    }
}
