package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Fhirbolt nodes sharing one dataset through a real Kafka log and a real Cassandra content store: every write
 * made through one node is read through the other, conflicts between the nodes are decided once for the whole
 * cluster, and the searches of both nodes agree.
 */
class ClusterTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static ClusterNodePair nodes;
    static TestServer a;
    static TestServer b;

    @BeforeAll
    static void startNodes() throws Exception {
        nodes = ClusterNodePair.start("cluster-test");
        a = nodes.a;
        b = nodes.b;
    }

    @AfterAll
    static void stopNodes() {
        if (nodes != null) {
            nodes.close();
        }
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void aWriteThroughOneNodeIsReadThroughTheOther() throws Exception {
        HttpResponse<String> created = a.send("POST", "/Patient",
                "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Across\"}]}");
        assertEquals(201, created.statusCode(), created.body());
        String id = json(created).path("id").asText();
        HttpResponse<String> read = b.get("/Patient/" + id);
        assertEquals(200, read.statusCode(), read.body());
        assertEquals("1", json(read).path("meta").path("versionId").asText());
        assertEquals(json(created).path("meta").path("lastUpdated"), json(read).path("meta").path("lastUpdated"));

        HttpResponse<String> updated = b.send("PUT", "/Patient/" + id, "{\"resourceType\":\"Patient\",\"id\":\"" + id
                + "\",\"name\":[{\"family\":\"Across\",\"given\":[\"Two\"]}]}", "If-Match", "W/\"1\"");
        assertEquals(200, updated.statusCode(), updated.body());
        assertEquals("2", json(a.get("/Patient/" + id)).path("meta").path("versionId").asText());
        assertEquals(2, json(a.get("/Patient/" + id + "/_history")).path("entry").size());

        int deleted = a.send("DELETE", "/Patient/" + id, null).statusCode();
        assertTrue(deleted == 200 || deleted == 204, "status " + deleted);
        assertEquals(410, b.get("/Patient/" + id).statusCode());
    }

    @Test
    void aWritesPositionMakesTheOtherNodeReadIt() throws Exception {
        HttpResponse<String> created = a.send("POST", "/Patient",
                "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Token\"}]}");
        assertEquals(201, created.statusCode(), created.body());
        String position = created.headers().firstValue("X-Fhirbolt-Position").orElseThrow();
        String id = json(created).path("id").asText();
        HttpResponse<String> read = b.get("/Patient/" + id, "X-Fhirbolt-Position", position);
        assertEquals(200, read.statusCode(), read.body());
        assertEquals("Token", json(read).path("name").path(0).path("family").asText());
        long readAt = Long.parseLong(read.headers().firstValue("X-Fhirbolt-Position").orElseThrow());
        assertTrue(readAt >= Long.parseLong(position), readAt + " < " + position);
        HttpResponse<String> search = b.send("POST", "/Patient/_search", "_id=" + id,
                "Content-Type", "application/x-www-form-urlencoded", "X-Fhirbolt-Position", position);
        assertEquals(1, json(search).path("entry").size(), search.body());

        HttpResponse<String> garbled = b.get("/Patient/" + id, "X-Fhirbolt-Position", "soon");
        assertEquals(400, garbled.statusCode(), garbled.body());
        assertEquals("OperationOutcome", json(garbled).path("resourceType").asText());
        HttpResponse<String> future = b.get("/Patient/" + id, "X-Fhirbolt-Position", "999999999999");
        assertEquals(400, future.statusCode(), future.body());
        assertTrue(future.body().contains("past the end"), future.body());
    }

    /**
     * Strong reads (no position header, the default consistency) see every write acknowledged before they were sent,
     * whichever node took the write: many writers at once, each reading its own write through the other node right
     * after the answer, so that the readers of both nodes share log look-ups while writes keep arriving.
     */
    @Test
    void aStrongReadThroughTheOtherNodeAlwaysSeesAnAcknowledgedWrite() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                TestServer writer = w % 2 == 0 ? a : b;
                TestServer reader = writer == a ? b : a;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 15; i++) {
                        HttpResponse<String> created = writer.send("POST", "/Patient",
                                "{\"resourceType\":\"Patient\",\"active\":true}");
                        assertEquals(201, created.statusCode(), created.body());
                        String id = json(created).path("id").asText();
                        HttpResponse<String> updated = writer.send("PUT", "/Patient/" + id, "{\"resourceType\":"
                                + "\"Patient\",\"id\":\"" + id + "\",\"active\":false}", "If-Match", "W/\"1\"");
                        assertEquals(200, updated.statusCode(), updated.body());
                        HttpResponse<String> read = reader.get("/Patient/" + id);
                        assertEquals(200, read.statusCode(), read.body());
                        assertEquals("2", json(read).path("meta").path("versionId").asText(),
                                "a strong read through the other node missed an acknowledged update");
                        HttpResponse<String> found = reader.get("/Patient?_id=" + id + "&active=false");
                        assertEquals(1, json(found).path("entry").size(), found.body());
                    }
                    return null;
                }));
            }
            for (Future<?> f : writers) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aNewNodeJoinsFromAnotherNodesBackupAndResumesTheLog() throws Exception {
        String family = "Joiner" + System.nanoTime();
        String query = "/Patient?family=" + family + "&_count=100";
        for (int i = 0; i < 5; i++) {
            assertEquals(201, a.send("POST", "/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\""
                    + family + "\"}]}").statusCode());
        }
        AdminCommandsTest.Run backup = AdminCommandsTest.run("backup", "--server", a.base);
        assertEquals(0, backup.code(), backup.err());
        Matcher made = Pattern.compile("^(/\\S+/fhirbolt-backup-\\S+)\\s+\\(", Pattern.MULTILINE)
                .matcher(backup.out());
        assertTrue(made.find(), backup.out());
        String position = "-1";
        for (int i = 0; i < 5; i++) { // after the backup, through the other node: the new node finds them in the log
            HttpResponse<String> created = b.send("POST", "/Patient", "{\"resourceType\":\"Patient\",\"name\":"
                    + "[{\"family\":\"" + family + "\"}]}");
            assertEquals(201, created.statusCode());
            position = created.headers().firstValue("X-Fhirbolt-Position").orElseThrow();
        }
        Path data = Files.createTempDirectory("fhirbolt-node-c").resolve("data");
        AdminCommandsTest.Run restore = AdminCommandsTest.run("restore", made.group(1), "--data-dir", data.toString());
        assertEquals(0, restore.code(), restore.err());
        try (TestServer c = TestServer.start(data, nodes.services.nodeFlags("c", nodes.topic))) {
            List<String> expected = sorted(ids(a.get(query, "X-Fhirbolt-Position", position)));
            assertEquals(10, expected.size());
            assertEquals(expected, sorted(ids(c.get(query, "X-Fhirbolt-Position", position))));
            assertEquals(expected, sorted(ids(c.get(query))));
            HttpResponse<String> created = c.send("POST", "/Patient", "{\"resourceType\":\"Patient\",\"name\":"
                    + "[{\"family\":\"" + family + "\"}]}");
            assertEquals(201, created.statusCode(), created.body());
            assertEquals(11, ids(b.get(query)).size());
        }
    }

    @Test
    void concurrentIfMatchUpdatesThroughBothNodesLetExactlyOneWin() throws Exception {
        HttpResponse<String> created = a.send("POST", "/Patient", "{\"resourceType\":\"Patient\",\"active\":true}");
        String id = json(created).path("id").asText();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                TestServer node = i % 2 == 0 ? a : b;
                String body = "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"gender\":\""
                        + (i % 3 == 0 ? "male" : "female") + "\",\"birthDate\":\"19" + (10 + i) + "-01-01\"}";
                results.add(pool.submit(() -> node.send("PUT", "/Patient/" + id, body, "If-Match", "W/\"1\"")
                        .statusCode()));
            }
            int won = 0;
            for (Future<Integer> f : results) {
                int status = f.get();
                assertTrue(status == 200 || status == 412 || status == 409, "status " + status);
                won += status == 200 ? 1 : 0;
            }
            assertEquals(1, won);
        } finally {
            pool.shutdownNow();
        }
        assertEquals("2", json(b.get("/Patient/" + id)).path("meta").path("versionId").asText());
        assertEquals(json(a.get("/Patient/" + id)).toString(), json(b.get("/Patient/" + id)).toString());
    }

    @Test
    void concurrentConditionalCreatesThroughBothNodesMakeOneResource() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        String identifier = "urn:test|cc-" + System.nanoTime();
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                TestServer node = i % 2 == 0 ? a : b;
                results.add(pool.submit(() -> node.send("POST", "/Patient", "{\"resourceType\":\"Patient\","
                        + "\"identifier\":[{\"system\":\"urn:test\",\"value\":\"" + identifier.substring(9) + "\"}]}",
                        "If-None-Exist", "identifier=" + identifier).statusCode()));
            }
            int created = 0;
            for (Future<Integer> f : results) {
                int status = f.get();
                assertTrue(status == 201 || status == 200, "status " + status);
                created += status == 201 ? 1 : 0;
            }
            assertEquals(1, created);
        } finally {
            pool.shutdownNow();
        }
        for (TestServer node : List.of(a, b)) {
            JsonNode bundle = json(node.get("/Patient?identifier=" + identifier.replace("|", "%7C")
                    + "&_total=accurate"));
            assertEquals(1, bundle.path("total").asInt(), bundle.toString());
        }
    }

    @Test
    void aTransactionThroughOneNodeIsWholeOnTheOther() throws Exception {
        String family = "Tx" + System.nanoTime();
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"fullUrl\":\"urn:uuid:11111111-1111-1111-1111-111111111111\",\"resource\":{\"resourceType\":"
                + "\"Patient\",\"name\":[{\"family\":\"" + family + "\"}]},\"request\":{\"method\":\"POST\",\"url\":"
                + "\"Patient\"}},{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":"
                + "{\"text\":\"x\"},\"subject\":{\"reference\":\"urn:uuid:11111111-1111-1111-1111-111111111111\"}},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}";
        HttpResponse<String> response = a.send("POST", "/", bundle);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode found = json(b.get("/Observation?subject.family=" + family + "&_include=Observation:subject"));
        assertEquals(2, found.path("entry").size(), found.toString());
    }

    @Test
    void bothNodesGiveTheSameSearchAnswer() throws Exception {
        String family = "Same" + System.nanoTime();
        for (int i = 0; i < 30; i++) {
            TestServer node = i % 2 == 0 ? a : b;
            assertEquals(201, node.send("POST", "/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\""
                    + family + "\",\"given\":[\"G" + i + "\"]}],\"birthDate\":\"19" + (50 + i) + "-02-03\"}")
                    .statusCode());
        }
        String query = "/Patient?family=" + family + "&birthdate=ge1960&_sort=-birthdate&_count=7";
        assertEquals(ids(a.get(query)), ids(b.get(query)));
        assertEquals(7, ids(a.get(query)).size());
    }

    private static List<String> sorted(List<String> ids) {
        return ids.stream().sorted().toList();
    }

    private static List<String> ids(HttpResponse<String> r) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode e : json(r).path("entry")) {
            out.add(e.path("resource").path("id").asText());
        }
        return out;
    }
}
