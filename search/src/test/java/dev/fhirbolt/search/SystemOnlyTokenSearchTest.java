package dev.fhirbolt.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.search.query.IndexReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    static FormatPair pair;
    static SearchFixture db;

    @BeforeAll
    static void load() {
        pair = new FormatPair(dir, dir6);
        db = pair.db;
        String[] codings = {
            "{\"system\":\"http://a\",\"code\":\"1\"}",
            "{\"system\":\"http://a\"}",
            "{\"code\":\"1\"}",
            "{\"system\":\"http://a/b\",\"code\":\"2\"}",
            "{\"system\":\"http://a\",\"code\":\"2\"},{\"system\":\"http://b\"}",
            "{\"system\":\"http://b\",\"code\":\"1\"}",
            "{\"system\":\"http://ab\",\"code\":\"1\"}"};
        for (int i = 0; i < 140; i++) {
            pair.add(String.format("{\"resourceType\":\"Observation\",\"id\":\"o%03d\",\"status\":\"%s\","
                    + "\"code\":{\"coding\":[%s]},\"category\":[{\"coding\":[%s]}]}", i, i % 5 == 0 ? "final"
                    : "amended", codings[i % codings.length], codings[(i / 7) % codings.length]));
        }
        pair.downgradeSecond();
    }

    @AfterAll
    static void close() {
        pair.close();
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
            String disagreement = pair.disagreement("Observation", query, "_count", "500");
            if (disagreement != null) {
                failed.add(disagreement);
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
        for (SearchFixture f : List.of(pair.db, pair.db6)) {
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
