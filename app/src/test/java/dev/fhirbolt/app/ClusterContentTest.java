package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fhirbolt.database.ResourceKeyspaces;
import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.rocksdb.RocksDbEngine;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Resource contents live in the content store: a node's RocksDB keeps references, and a node whose content cache is
 * cold (here: none at all) reads every version's contents from Cassandra and serves the very bytes the writer
 * served.
 */
class ClusterContentTest {

    static TestServer a;
    static TestServer b;
    static Map<String, String> flagsOfB;

    @BeforeAll
    static void startNodes() throws Exception {
        ClusterServices services = ClusterServices.small();
        String topic = "cluster-content-" + System.nanoTime();
        a = TestServer.start(Files.createTempDirectory("fhirbolt-node-a"), services.nodeFlags("a", topic));
        flagsOfB = new java.util.HashMap<>(services.nodeFlags("b", topic));
        flagsOfB.put("content-cache-size", "0"); // every read of contents goes to the content store
        b = TestServer.start(Files.createTempDirectory("fhirbolt-node-b"), flagsOfB);
    }

    @AfterAll
    static void stopNodes() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @Test
    void aColdNodeServesTheWritersBytesFromTheContentStore() throws Exception {
        String family = "Content" + System.nanoTime();
        HttpResponse<String> created = a.send("POST", "/Patient",
                "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\"}],\"gender\":\"female\"}");
        assertEquals(201, created.statusCode(), created.body());
        String id = ClusterTest.json(created).path("id").asText();
        HttpResponse<String> updated = a.send("PUT", "/Patient/" + id, "{\"resourceType\":\"Patient\",\"id\":\"" + id
                + "\",\"name\":[{\"family\":\"" + family + "\"}],\"gender\":\"male\"}");
        assertEquals(200, updated.statusCode(), updated.body());
        String observations = transaction(id, 3, 0);
        assertEquals(200, a.send("POST", "/", observations).statusCode());
        // a transaction larger than a log record: the log carries only its key
        HttpResponse<String> large = a.send("POST", "/", transaction(id, 40, 40_000));
        assertEquals(200, large.statusCode(), large.body());

        HttpResponse<String> readOnB = b.get("/Patient/" + id);
        assertEquals(200, readOnB.statusCode(), readOnB.body());
        assertEquals(updated.body(), readOnB.body(), "the node serves the bytes the writer answered with");
        assertEquals(a.get("/Patient/" + id + "/_history/1").body(), b.get("/Patient/" + id + "/_history/1").body());
        assertEquals(created.body(), b.get("/Patient/" + id + "/_history/1").body());

        JsonNode history = ClusterTest.json(b.get("/Patient/" + id + "/_history"));
        assertEquals(2, history.path("entry").size(), history.toString());
        for (JsonNode entry : history.path("entry")) {
            assertEquals(family, entry.path("resource").path("name").path(0).path("family").asText());
        }
        JsonNode search = ClusterTest.json(b.get("/Observation?subject=Patient/" + id + "&_count=100"));
        assertEquals(43, search.path("entry").size());
        for (JsonNode entry : search.path("entry")) {
            assertEquals("final", entry.path("resource").path("status").asText(), entry.toString());
        }
        JsonNode everything = ClusterTest.json(b.get("/Patient/" + id + "/$everything?_count=100"));
        Set<String> types = new HashSet<>();
        everything.path("entry").forEach(e -> types.add(e.path("resource").path("resourceType").asText()));
        assertEquals(Set.of("Patient", "Observation"), types, everything.toString());
        String sorted = "/Observation?subject=Patient/" + id + "&_sort=_id&_count=100";
        assertEquals(resources(a.get(sorted)), resources(b.get(sorted)));

        String metrics = b.get("/metrics").body();
        assertTrue(counter(metrics, "fhirbolt_content_cache_misses_total") > 0, metrics);
        assertTrue(counter(metrics, "fhirbolt_content_store_fetches_total") > 0, metrics);

        // the node's own store keeps references, not the JSON; restarted, it serves the same from the content store
        b.close();
        try (KvStore kv = new RocksDbEngine(Backend.databaseDir(ConfigLoader.load(java.util.Optional.empty(),
                Map.of(), Map.of("data-dir", b.dataDir.toString()))), 8 << 20).open(Backend.keyspaces())) {
            byte[] version = kv.get(ResourceKeyspaces.VERSIONS, Bytes.key("Patient", id, 2L)).orElseThrow();
            assertEquals(2, version[16], "a version kept as a content reference");
            assertTrue(version.length < 64, "the record holds " + version.length + " bytes");
        }
        b = TestServer.start(b.dataDir, flagsOfB);
        assertEquals(updated.body(), b.get("/Patient/" + id).body());
    }

    @Test
    void deletesNeedNoContents() throws Exception {
        HttpResponse<String> created = a.send("POST", "/Patient", "{\"resourceType\":\"Patient\",\"active\":true}");
        String id = ClusterTest.json(created).path("id").asText();
        int deleted = a.send("DELETE", "/Patient/" + id, null).statusCode();
        assertTrue(deleted == 200 || deleted == 204, "status " + deleted);
        assertEquals(410, b.get("/Patient/" + id).statusCode());
        JsonNode history = ClusterTest.json(b.get("/Patient/" + id + "/_history"));
        assertEquals(2, history.path("entry").size(), history.toString());
    }

    /** A transaction creating {@code count} Observations of a Patient, each with {@code padding} characters of text. */
    private static String transaction(String patient, int count, int padding) {
        StringBuilder b = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
        String text = "x".repeat(padding);
        for (int i = 0; i < count; i++) {
            b.append(i == 0 ? "" : ",").append("{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",")
                    .append("\"code\":{\"text\":\"c").append(i).append(text).append("\"},\"subject\":{\"reference\":")
                    .append("\"Patient/").append(patient).append("\"}},\"request\":{\"method\":\"POST\",\"url\":")
                    .append("\"Observation\"}}");
        }
        return b.append("]}").toString();
    }

    private static java.util.List<String> resources(HttpResponse<String> bundle) throws Exception {
        java.util.List<String> out = new java.util.ArrayList<>();
        ClusterTest.json(bundle).path("entry").forEach(e -> out.add(e.path("resource").toString()));
        return out;
    }

    private static double counter(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }
}
