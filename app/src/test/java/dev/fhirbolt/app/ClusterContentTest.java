package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fhirbolt.contentstore.ContentStore;
import dev.fhirbolt.contentstore.cassandra.CassandraContentStore;
import dev.fhirbolt.contentstore.cassandra.CassandraSettings;
import dev.fhirbolt.database.ResourceKeyspaces;
import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.rocksdb.RocksDbEngine;
import dev.fhirbolt.txlog.TxLogReader;
import dev.fhirbolt.txlog.TxLogRecord;
import dev.fhirbolt.txlog.kafka.KafkaTxLog;
import dev.fhirbolt.txlog.kafka.KafkaTxLogSettings;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Resource contents live in the content store: a node's RocksDB keeps references, and a node whose content cache is
 * cold (here: none at all) reads every version's contents from Cassandra and serves the very bytes the writer
 * served.
 */
class ClusterContentTest {

    static ClusterNodePair nodes;
    static TestServer a;
    static TestServer b;
    static ClusterServices services;
    static String topic;

    @BeforeAll
    static void startNodes() throws Exception {
        // b has no content cache: every read of contents goes to the content store
        nodes = ClusterNodePair.start("cluster-content", Map.of(), Map.of("content-cache-size", "0"));
        a = nodes.a;
        b = nodes.b;
        services = nodes.services;
        topic = nodes.topic;
    }

    @AfterAll
    static void stopNodes() {
        if (nodes != null) {
            nodes.close();
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
        b = TestServer.start(b.dataDir, nodes.flagsOfB);
        nodes.b = b;
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

    /**
     * A command every node refused (here: If-Match updates that lost) and stored alone leaves nothing in the content
     * store once its writer has seen the refusal: it travelled whole in its log record, so no node reads that value
     * again. A value holding a group of commands stored together is shared and stays. The accepted version's contents
     * stay, and a node without a cache reads them from the content store.
     */
    @Test
    void aRefusedCommandsContentsAreFreedAndTheAcceptedOnesKept() throws Exception {
        HttpResponse<String> created = a.send("POST", "/Patient", "{\"resourceType\":\"Patient\",\"active\":true}");
        String id = ClusterTest.json(created).path("id").asText();
        long from = Long.parseLong(created.headers().firstValue("X-Fhirbolt-Position").orElseThrow());
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<HttpResponse<String>>> updates = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                String body = "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"birthDate\":\"19" + (60 + i)
                        + "-01-01\"}";
                updates.add(pool.submit(() -> a.send("PUT", "/Patient/" + id, body, "If-Match", "W/\"1\"")));
            }
            int won = 0;
            for (Future<HttpResponse<String>> update : updates) {
                HttpResponse<String> answer = update.get();
                assertTrue(answer.statusCode() == 200 || answer.statusCode() == 412
                        || answer.statusCode() == 409, answer.statusCode() + " " + answer.body());
                won += answer.statusCode() == 200 ? 1 : 0;
            }
            assertEquals(1, won);
            // every update was applied on a before it answered: a's position now is at or past all of them
            long to = Long.parseLong(a.get("/Patient/" + id).headers().firstValue("X-Fhirbolt-Position")
                    .orElseThrow());
            List<byte[][]> records = addressedRecords(from, to);
            assertTrue(records.size() >= 2, "the refused updates went through the log: " + records.size() + " records");
            // a value is a group when its key is not the hash of the one command its record carries
            List<byte[]> keys = new ArrayList<>();
            List<byte[]> groups = new ArrayList<>();
            for (byte[][] record : records) {
                boolean alone = java.util.Arrays.equals(record[0], java.security.MessageDigest
                        .getInstance("SHA-256").digest(record[1]));
                (alone ? keys : groups).add(record[0]);
            }
            Map<String, String> s = services.settings;
            try (ContentStore contents = CassandraContentStore.open(CassandraSettings.of(
                    s.get("cassandra-contact-points"), s.getOrDefault("cassandra-local-dc", "datacenter1"))
                    .withKeyspace(s.getOrDefault("cassandra-keyspace", CassandraSettings.DEFAULT_KEYSPACE)))) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                int present;
                do {
                    present = 0;
                    for (byte[] key : keys) {
                        present += contents.get(key).get(10, TimeUnit.SECONDS).isPresent() ? 1 : 0;
                    }
                } while (present > 1 && System.nanoTime() < deadline && sleep());
                assertTrue(present <= 1, "of " + keys.size() + " updates stored alone, at most the accepted one's"
                        + " contents stay: " + present);
                if (groups.isEmpty()) {
                    assertEquals(1, present, "the accepted update's contents stay");
                }
                for (byte[] group : groups) {
                    assertTrue(contents.get(group).get(10, TimeUnit.SECONDS).isPresent(), "a shared group stays");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        HttpResponse<String> kept = b.get("/Patient/" + id + "/_history/2");
        assertEquals(200, kept.statusCode(), kept.body());
        assertEquals(a.get("/Patient/" + id + "/_history/2").body(), kept.body());
    }

    /**
     * The content keys and the commands of the records of kind 4 (a command with its key, member 0 of its value) in
     * the log after {@code from}: {key, command} each.
     */
    private static List<byte[][]> addressedRecords(long from, long to) throws Exception {
        List<byte[][]> keys = new ArrayList<>();
        try (KafkaTxLog log = KafkaTxLog.open(KafkaTxLogSettings.of(services.settings.get("kafka-bootstrap"))
                .withTopic(topic)); TxLogReader reader = log.read(from)) {
            long seen = from;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (seen < to && System.nanoTime() < deadline) {
                for (TxLogRecord record : reader.poll(Duration.ofMillis(500))) {
                    seen = record.position();
                    DataInputStream in = new DataInputStream(new ByteArrayInputStream(record.payload()));
                    if (record.position() <= to && in.readByte() == 1 && in.readByte() == 4) {
                        byte[] key = new byte[in.readInt()];
                        in.readFully(key);
                        keys.add(new byte[][] {key, in.readAllBytes()});
                    }
                }
            }
        }
        return keys;
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(200);
        return true;
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
