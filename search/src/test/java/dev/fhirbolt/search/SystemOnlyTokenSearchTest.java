package dev.fhirbolt.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fhirbolt.fhir.FhirFormat;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.search.query.IndexReader;
import dev.fhirbolt.search.reindex.Format6UpgradeTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * A token's system alone is indexed only for codings without a code: {@code system|} finds the others by the prefix of
 * their system+code entries, and answers as the parameter's own expression ({@code InMemoryMatch}) and as the same
 * data indexed as format 6 (a system-only entry for every coding) do.
 */
class SystemOnlyTokenSearchTest {

    @TempDir
    static Path dir;
    @TempDir
    static Path dir6;
    static SearchFixture db;
    static SearchFixture db6;
    static final Map<String, Resource> RESOURCES = new LinkedHashMap<>();

    @BeforeAll
    static void load() {
        db = new SearchFixture(dir);
        db6 = new SearchFixture(dir6);
        String[] codings = {
            "{\"system\":\"http://a\",\"code\":\"1\"}",
            "{\"system\":\"http://a\"}",
            "{\"code\":\"1\"}",
            "{\"system\":\"http://a/b\",\"code\":\"2\"}",
            "{\"system\":\"http://a\",\"code\":\"2\"},{\"system\":\"http://b\"}",
            "{\"system\":\"http://b\",\"code\":\"1\"}",
            "{\"system\":\"http://ab\",\"code\":\"1\"}"};
        for (int i = 0; i < 140; i++) {
            add(String.format("{\"resourceType\":\"Observation\",\"id\":\"o%03d\",\"status\":\"%s\","
                    + "\"code\":{\"coding\":[%s]},\"category\":[{\"coding\":[%s]}]}", i, i % 5 == 0 ? "final"
                    : "amended", codings[i % codings.length], codings[(i / 7) % codings.length]));
        }
        Format6UpgradeTest.toFormat6(db6);
    }

    static void add(String json) {
        Resource r = ResourceReader.read(json.getBytes(StandardCharsets.UTF_8), FhirFormat.JSON);
        r.setId(r.getIdElement().getIdPart());
        db.create(r);
        db6.create(r);
        RESOURCES.put(r.getIdElement().getIdPart(), r);
    }

    @AfterAll
    static void close() {
        db.close();
        db6.close();
    }

    @Test
    void aSystemFindsItsCodesAndItsCodelessCodings() {
        List<String> failed = new ArrayList<>();
        for (List<String> query : List.of(
                List.of("code", "http://a|"),
                List.of("code", "http://b|"),
                List.of("code", "http://a/b|"),
                List.of("code", "http://c|"),
                List.of("code", "http://a|,http://b|"),
                List.of("code", "http://a|,http://b|1"),
                List.of("code:not", "http://a|"),
                List.of("code:not", "http://b|"),
                List.of("status", "final", "code", "http://a|"),
                List.of("status", "final", "code:not", "http://ab|"),
                List.of("category", "http://a|", "code", "http://b|"),
                List.of("code", "http://a|1", "category", "http://b|"),
                List.of("code:missing", "false", "category", "http://ab|"))) {
            Map<String, List<String>> params = SearchRequest.params(query.toArray(String[]::new));
            Set<String> expected = new TreeSet<>();
            RESOURCES.forEach((id, r) -> {
                if (db.engine.matchesInMemory(r, params).orElseThrow()) {
                    expected.add(id);
                }
            });
            List<String> args = new ArrayList<>(query);
            args.addAll(List.of("_count", "500"));
            List<String> found = db.ids("Observation", args.toArray(String[]::new));
            List<String> format6 = db6.ids("Observation", args.toArray(String[]::new));
            if (!new ArrayList<>(expected).equals(found) || !format6.equals(found)) {
                failed.add(query + ": expected " + expected + ", found " + found + ", in format 6 " + format6);
            }
        }
        assertEquals(List.of(), failed);
    }

    @Test
    void onlyCodelessCodingsHaveASystemOnlyEntry() {
        try (var snapshot = db.kv.snapshot(); var reader = new IndexReader(snapshot)) {
            assertEquals(List.of(), systemsAlone(reader, "o000"), "http://a|1");
            assertEquals(List.of("http://a"), systemsAlone(reader, "o001"));
            assertEquals(List.of("http://b"), systemsAlone(reader, "o004"), "http://a|2 and http://b alone");
        }
    }

    @Test
    void anIdIsOneCodeEntryAndFoundWithoutSystemToo() {
        try (var snapshot = db.kv.snapshot(); var reader = new IndexReader(snapshot)) {
            List<byte[]> values = reader.values("Observation", "o003", "_id");
            assertEquals(1, values.size());
            assertEquals(Encoded.CODE, values.get(0)[0]);
        }
        for (SearchFixture f : List.of(db, db6)) {
            assertEquals(List.of("o003", "o005"), f.ids("Observation", "_id", "|o003,o005"));
            assertEquals(List.of(), f.ids("Observation", "_id", "http://a|o003"));
            assertEquals(List.of("o000", "o001"), f.ids("Observation", "_id:not", "|o002", "_count", "2"));
        }
    }

    private static List<String> systemsAlone(IndexReader reader, String id) {
        List<String> out = new ArrayList<>();
        for (byte[] v : reader.values("Observation", id, "code")) {
            if (v[0] == Encoded.SYSTEM_ONLY) {
                out.add(Encoded.parts(v)[0]);
            }
        }
        return out;
    }
}
