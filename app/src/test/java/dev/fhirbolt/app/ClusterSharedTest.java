package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fhirbolt.bulk.SharedExportFiles;
import dev.fhirbolt.contentstore.ContentStore;
import dev.fhirbolt.contentstore.cassandra.CassandraContentStore;
import dev.fhirbolt.contentstore.cassandra.CassandraSettings;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a cluster shares besides resources and the SMART server's state: a bulk export started on one node is polled,
 * downloaded and cancelled through the other; the audit events of both nodes are found through either; a
 * SearchParameter created through one node is searchable (existing data included) through the other, and a
 * {@code $reindex} started on one node is followed on the other.
 */
class ClusterSharedTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static ClusterNodePair nodes;
    static TestServer a;
    static TestServer b;
    static ClusterServices services;

    @BeforeAll
    static void startNodes() throws Exception {
        Map<String, String> audit = Map.of("audit", "on");
        nodes = ClusterNodePair.start("cluster-shared", audit, audit);
        a = nodes.a;
        b = nodes.b;
        services = nodes.services;
    }

    @AfterAll
    static void stopNodes() {
        if (nodes != null) {
            nodes.close();
        }
    }

    /** The path and query of a URL one node gave out, to ask the other node. */
    static String pathOf(String url) {
        URI uri = URI.create(url);
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    @Test
    void anExportKickedOffOnOneNodeIsPolledDownloadedAndCancelledOnTheOther() throws Exception {
        for (int i = 0; i < 25; i++) {
            assertEquals(201, a.send("POST", "/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Exp"
                    + i + "\"}]}").statusCode());
        }
        HttpResponse<String> kickOff = a.send("GET", "/$export?_type=Patient", null, "Prefer", "respond-async",
                "Accept", "application/fhir+json");
        assertEquals(202, kickOff.statusCode(), kickOff.body());
        String status = pathOf(kickOff.headers().firstValue("Content-Location").orElseThrow());

        HttpResponse<String> poll = b.get(status);
        long end = System.currentTimeMillis() + 60_000;
        while (poll.statusCode() == 202 && System.currentTimeMillis() < end) {
            Thread.sleep(100);
            poll = b.get(status);
        }
        assertEquals(200, poll.statusCode(), poll.body());
        JsonNode output = JSON.readTree(poll.body()).path("output");
        assertEquals(1, output.size(), poll.body());
        String file = pathOf(output.get(0).path("url").asText());
        HttpResponse<String> download = b.get(file);
        assertEquals(200, download.statusCode(), download.body());
        String[] lines = download.body().split("\n");
        assertTrue(lines.length >= 25, "lines: " + lines.length);
        assertEquals(output.get(0).path("count").asInt(), lines.length);
        String id = JSON.readTree(lines[0]).path("id").asText();
        assertEquals(lines[0], b.get("/Patient/" + id).body(), "a line is the stored resource");
        assertEquals(download.body(), a.get(file).body(), "both nodes serve the same file");

        assertEquals(202, b.send("DELETE", status, null).statusCode());
        assertEquals(404, a.get(status).statusCode(), "cancelled on every node");
        assertEquals(404, a.get(file).statusCode());
    }

    @Test
    void exportFilesTravelInPartsThroughTheContentStore() throws Exception {
        CassandraSettings settings = CassandraSettings.of(services.settings.get("cassandra-contact-points"),
                services.settings.get("cassandra-local-dc"));
        try (ContentStore store = CassandraContentStore.open(settings)) {
            Path here = Files.createTempDirectory("exports-here");
            Path there = Files.createTempDirectory("exports-there");
            SharedExportFiles writer = new SharedExportFiles(here, store, 1000);
            SharedExportFiles reader = new SharedExportFiles(there, store, 1000);
            byte[] content = new byte[4500];
            new java.util.Random(7).nextBytes(content);
            Files.createDirectories(writer.directory("job-1"));
            Files.write(writer.directory("job-1").resolve("Patient.ndjson"), content);
            writer.publish("job-1", "Patient.ndjson");

            Optional<Path> copy = reader.local("job-1", "Patient.ndjson");
            assertTrue(copy.isPresent());
            assertTrue(copy.get().startsWith(there));
            assertArrayEquals(content, Files.readAllBytes(copy.get()));
            assertEquals(Optional.empty(), reader.local("job-1", "Observation.ndjson"));

            writer.delete("job-1", List.of());
            assertEquals(Optional.empty(), new SharedExportFiles(Files.createTempDirectory("exports-third"), store,
                    1000).local("job-1", "Patient.ndjson"), "deleted from the content store");
        }
    }

    @Test
    void auditEventsOfBothNodesAreFoundThroughEither() throws Exception {
        String one = "audited-a-" + System.nanoTime();
        String two = "audited-b-" + System.nanoTime();
        assertEquals(201, a.send("PUT", "/Patient/" + one, "{\"resourceType\":\"Patient\",\"id\":\"" + one + "\"}")
                .statusCode());
        assertEquals(201, b.send("PUT", "/Patient/" + two, "{\"resourceType\":\"Patient\",\"id\":\"" + two + "\"}")
                .statusCode());
        assertEquals(200, a.get("/Patient/" + one).statusCode());
        assertEquals(200, b.get("/Patient/" + two).statusCode());
        assertTrue(a.server.audit().flush(10_000) && b.server.audit().flush(10_000));
        for (TestServer node : List.of(a, b)) {
            for (String id : List.of(one, two)) {
                JsonNode found = JSON.readTree(node.get("/AuditEvent?entity=Patient/" + id).body());
                assertEquals(2, found.path("entry").size(), "the create and the read of " + id + " through "
                        + node.base + ": " + found);
            }
        }
        // ids are unique across the nodes: reading an event by id gives that event on both
        JsonNode onA = JSON.readTree(a.get("/AuditEvent?entity=Patient/" + two).body());
        String eventId = onA.path("entry").get(0).path("resource").path("id").asText();
        assertEquals(onA.path("entry").get(0).path("resource"),
                JSON.readTree(b.get("/AuditEvent/" + eventId).body()));
    }

    @Test
    void aSearchParameterCreatedOnOneNodeIsSearchableOnTheOther() throws Exception {
        assertEquals(201, b.send("PUT", "/Patient/nick-before", "{\"resourceType\":\"Patient\",\"id\":\"nick-before\","
                + "\"name\":[{\"use\":\"nickname\",\"given\":[\"Clusterine\"]}]}").statusCode());
        HttpResponse<String> created = a.send("POST", "/SearchParameter", ReindexTest.NICKNAME);
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(201, a.send("PUT", "/Patient/nick-after", "{\"resourceType\":\"Patient\",\"id\":\"nick-after\","
                + "\"name\":[{\"use\":\"nickname\",\"given\":[\"Clusterine\"]}]}").statusCode());
        for (TestServer node : List.of(b, a)) {
            String body = "";
            long end = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < end && !body.contains("\"total\":2")) {
                body = node.get("/Patient?nickname=Clusterine&_total=accurate").body();
                Thread.sleep(50);
            }
            assertTrue(body.contains("\"total\":2") && body.contains("nick-before") && body.contains("nick-after"),
                    node.base + ": " + body);
        }

        HttpResponse<String> reindex = a.send("POST", "/Patient/$reindex", null);
        assertEquals(202, reindex.statusCode(), reindex.body());
        String status = pathOf(reindex.headers().firstValue("Content-Location").orElseThrow());
        HttpResponse<String> onB = b.get(status);
        long end = System.currentTimeMillis() + 30_000;
        while (onB.statusCode() != 200 && System.currentTimeMillis() < end) {
            Thread.sleep(100);
            onB = b.get(status);
        }
        assertEquals(200, onB.statusCode(), "the job requested on node a ran on node b: " + onB.body());
        assertTrue(b.get("/Patient?nickname=Clusterine&_total=accurate").body().contains("\"total\":2"));
    }

    @Test
    void aCodeSystemUploadedThroughOneNodeIsServedByTheOtherAndItsRecordsFollowItsReplacement() throws Exception {
        String url = java.net.URLEncoder.encode(CodeSystemUploadTest.URL, java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> r = CodeSystemUploadTest.upload(a.http, a.base, "clustered",
                CodeSystemUploadTest.generated(3_000, "c"));
        assertEquals(201, r.statusCode(), r.body());
        String valid = awaitBody(b, "/CodeSystem/$validate-code?url=" + url + "&code=U2999", "\"valueBoolean\":true");
        assertTrue(valid.contains("\"valueBoolean\":true"), valid);
        String below = b.get("/ValueSet/$expand?url=" + java.net.URLEncoder.encode(CodeSystemUploadTest.URL
                + "?fhir_vs=isa/U2", java.nio.charset.StandardCharsets.UTF_8) + "&count=2").body();
        assertTrue(below.contains("\"total\":111"), below); // U2, U20-29, U200-299, U2000-2999

        // replaced through the other node by a smaller upload: both nodes serve the new one
        r = CodeSystemUploadTest.upload(b.http, b.base, "clustered", CodeSystemUploadTest.generated(500, "d"));
        assertEquals(200, r.statusCode(), r.body());
        String gone = awaitBody(a, "/CodeSystem/$validate-code?url=" + url + "&code=U2999", "\"valueBoolean\":false");
        assertTrue(gone.contains("\"valueBoolean\":false"), gone);
        assertTrue(a.get("/CodeSystem/$lookup?system=" + url + "&code=U499").body().contains("U49"));

        // deleted through the first node: no node knows it any more
        int deleted = a.send("DELETE", "/CodeSystem/clustered", null).statusCode();
        assertTrue(deleted == 200 || deleted == 204, "DELETE: " + deleted);
        long end = System.currentTimeMillis() + 30_000;
        while (b.get("/CodeSystem/$validate-code?url=" + url + "&code=U1").statusCode() != 404
                && System.currentTimeMillis() < end) {
            Thread.sleep(100);
        }
        assertEquals(404, b.get("/CodeSystem/$validate-code?url=" + url + "&code=U1").statusCode());
    }

    /** The body of a GET once it contains {@code expected} (the other node applies the log a moment later). */
    private static String awaitBody(TestServer node, String path, String expected) throws Exception {
        long end = System.currentTimeMillis() + 30_000;
        String body = node.get(path).body();
        while (!body.contains(expected) && System.currentTimeMillis() < end) {
            Thread.sleep(100);
            body = node.get(path).body();
        }
        return body;
    }
}
