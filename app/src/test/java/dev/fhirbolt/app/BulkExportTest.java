package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** System-level $export round trips: kick-off, poll, manifest, download, filters, cancel, limits, restart. */
class BulkExportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void exportRoundTripMatchesTheDatabase() throws Exception {
        try (TestServer server = TestServer.start()) {
            for (int i = 0; i < 30; i++) {
                server.send("POST", "/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"P" + i + "\"}]}");
                server.send("POST", "/Observation", "{\"resourceType\":\"Observation\",\"status\":\"final\","
                        + "\"code\":{\"text\":\"o" + i + "\"}}");
            }
            server.send("PUT", "/Patient/gone", "{\"resourceType\":\"Patient\",\"id\":\"gone\"}");
            server.send("DELETE", "/Patient/gone", null);

            JsonNode manifest = runExport(server, "/$export");
            assertTrue(manifest.get("transactionTime").asText().endsWith("Z"));
            assertTrue(manifest.get("request").asText().endsWith("/$export"));
            Map<String, Set<String>> exported = download(server, manifest);
            assertEquals(Set.of("Patient", "Observation"), exported.keySet());
            assertEquals(30, exported.get("Patient").size());
            assertEquals(30, exported.get("Observation").size());
            for (String line : exported.get("Patient")) {
                String id = JSON.readTree(line).get("id").asText();
                assertEquals(line, server.get("/Patient/" + id).body(), "NDJSON line equals the stored resource");
            }
        }
    }

    @Test
    void typeAndSinceFilter() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.send("POST", "/Patient", "{\"resourceType\":\"Patient\"}");
            server.send("POST", "/Observation", "{\"resourceType\":\"Observation\",\"status\":\"final\","
                    + "\"code\":{\"text\":\"old\"}}");
            Thread.sleep(20);
            Instant between = Instant.now();
            Thread.sleep(20);
            server.send("POST", "/Observation", "{\"resourceType\":\"Observation\",\"status\":\"final\","
                    + "\"code\":{\"text\":\"new\"}}");
            Map<String, Set<String>> onlyObservations = download(server,
                    runExport(server, "/$export?_type=Observation"));
            assertEquals(Set.of("Observation"), onlyObservations.keySet());
            assertEquals(2, onlyObservations.get("Observation").size());
            Map<String, Set<String>> since = download(server, runExport(server, "/$export?_since=" + between));
            assertEquals(Set.of("Observation"), since.keySet());
            assertTrue(since.get("Observation").iterator().next().contains("\"new\""));
        }
    }

    @Test
    void typeFilterPatientAndGroupLevels() throws Exception {
        try (TestServer server = TestServer.start()) {
            for (String p : new String[] {"a", "b", "c"}) {
                server.send("PUT", "/Patient/" + p, "{\"resourceType\":\"Patient\",\"id\":\"" + p + "\"}");
                for (String code : new String[] {"laboratory", "vital-signs"}) {
                    server.send("PUT", "/Observation/" + p + "-" + code, "{\"resourceType\":\"Observation\",\"id\":\""
                            + p + "-" + code + "\",\"status\":\"final\",\"category\":[{\"coding\":[{\"system\":"
                            + "\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":\"" + code
                            + "\"}]}],\"code\":{\"text\":\"x\"},\"subject\":{\"reference\":\"Patient/" + p + "\"}}");
                }
            }
            server.send("PUT", "/Medication/m", "{\"resourceType\":\"Medication\",\"id\":\"m\"}");
            server.send("PUT", "/Group/g", "{\"resourceType\":\"Group\",\"id\":\"g\",\"type\":\"person\","
                    + "\"actual\":true,\"member\":[{\"entity\":{\"reference\":\"Patient/a\"}},"
                    + "{\"entity\":{\"reference\":\"Patient/b\"},\"inactive\":true}]}");

            Map<String, Set<String>> labs = download(server, runExport(server, "/$export?_type=Observation"
                    + "&_typeFilter=Observation%3Fcategory%3Dlaboratory"));
            assertEquals(3, labs.get("Observation").size());
            assertTrue(labs.get("Observation").stream().allMatch(l -> l.contains("\"laboratory\"")));

            Map<String, Set<String>> patients = download(server, runExport(server, "/Patient/$export"));
            assertEquals(3, patients.get("Patient").size());
            assertEquals(6, patients.get("Observation").size());
            assertTrue(!patients.containsKey("Medication"), "Medication is in no patient compartment");

            Map<String, Set<String>> group = download(server, runExport(server, "/Group/g/$export"));
            assertEquals(1, group.get("Patient").size(), "only the active member");
            assertEquals(2, group.get("Observation").size());
            assertTrue(group.get("Observation").stream().allMatch(l -> l.contains("Patient/a")));
        }
    }

    @Test
    void badKickOffsAreRefused() throws Exception {
        try (TestServer server = TestServer.start()) {
            assertEquals(400, server.get("/$export").statusCode(), "Prefer: respond-async is required");
            assertEquals(400, server.get("/$export?_outputFormat=text/csv", "Prefer", "respond-async").statusCode());
            assertEquals(400, server.get("/$export?_type=Banana", "Prefer", "respond-async").statusCode());
            assertEquals(400, server.get("/$export?_since=soon", "Prefer", "respond-async").statusCode());
            assertEquals(400, server.get("/$export?_elements=id", "Prefer", "respond-async").statusCode());
            assertEquals(404, server.get("/Group/none/$export", "Prefer", "respond-async").statusCode());
            assertEquals(404, server.get("/$export-poll-status?_jobId=nope").statusCode());
        }
    }

    @Test
    void cancelLimitAndRestart() throws Exception {
        try (TestServer server = TestServer.start(java.nio.file.Files.createTempDirectory("fhirbolt-export"),
                Map.of("exports-per-client", "1"))) {
            for (int i = 0; i < 200; i++) {
                server.send("POST", "/Observation", "{\"resourceType\":\"Observation\",\"status\":\"final\","
                        + "\"code\":{\"text\":\"o" + i + "\"}}");
            }
            String status = kickOff(server, "/$export");
            HttpResponse<String> second = server.get("/$export", "Prefer", "respond-async");
            if (second.statusCode() == 202) {
                // the first job finished before the second kick-off; the limit counts unfinished jobs only
                status = second.headers().firstValue("Content-Location").orElseThrow();
            } else {
                assertEquals(429, second.statusCode(), second.body());
            }
            HttpResponse<String> cancelled = server.send("DELETE", path(server, status), null);
            assertEquals(202, cancelled.statusCode());
            assertEquals(404, server.get(path(server, status)).statusCode());

            String restarted = kickOff(server, "/$export?_type=Observation");
            TestServer again = server.restart();
            try (again) {
                JsonNode manifest = poll(again, path(again, restarted));
                assertEquals(200, download(again, manifest).get("Observation").size());
            }
        }
    }

    private static String kickOff(TestServer server, String path) throws Exception {
        HttpResponse<String> r = server.get(path, "Prefer", "respond-async", "Accept", "application/fhir+json");
        assertEquals(202, r.statusCode(), r.body());
        return r.headers().firstValue("Content-Location").orElseThrow();
    }

    private static JsonNode runExport(TestServer server, String path) throws Exception {
        return poll(server, path(server, kickOff(server, path)));
    }

    private static JsonNode poll(TestServer server, String statusPath) throws Exception {
        for (int i = 0; i < 300; i++) {
            HttpResponse<String> r = server.get(statusPath);
            if (r.statusCode() == 200) {
                return JSON.readTree(r.body());
            }
            assertEquals(202, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("X-Progress").isPresent());
            assertTrue(r.headers().firstValue("Retry-After").isPresent());
            Thread.sleep(100);
        }
        throw new AssertionError("export did not finish");
    }

    private static Map<String, Set<String>> download(TestServer server, JsonNode manifest) throws Exception {
        Map<String, Set<String>> byType = new HashMap<>();
        for (JsonNode output : manifest.get("output")) {
            HttpResponse<String> file = server.get(path(server, output.get("url").asText()));
            assertEquals(200, file.statusCode());
            assertEquals("application/fhir+ndjson", file.headers().firstValue("Content-Type").orElseThrow());
            Set<String> lines = new TreeSet<>(file.body().lines().toList());
            assertEquals(output.get("count").asLong(), lines.size());
            byType.put(output.get("type").asText(), lines);
        }
        return byType;
    }

    private static String path(TestServer server, String url) {
        return url.substring(url.indexOf('/', "http://".length()));
    }
}
