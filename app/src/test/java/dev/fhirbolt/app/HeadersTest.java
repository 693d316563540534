package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The versioning and preference headers of the FHIR HTTP spec, checked on the wire. */
class HeadersTest {

    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private String create() throws Exception {
        HttpResponse<String> r = server.send("POST", "/Patient", "{\"resourceType\":\"Patient\",\"active\":true}");
        assertEquals(201, r.statusCode());
        String location = r.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(server.base + "/Patient/"), location);
        assertTrue(location.endsWith("/_history/1"), location);
        return location.substring((server.base + "/Patient/").length(), location.indexOf("/_history"));
    }

    @Test
    void etagLastModifiedAndConditionalReads() throws Exception {
        String id = create();
        HttpResponse<String> read = server.get("/Patient/" + id);
        assertEquals(200, read.statusCode());
        assertEquals("W/\"1\"", read.headers().firstValue("ETag").orElseThrow());
        String lastModified = read.headers().firstValue("Last-Modified").orElseThrow();
        assertTrue(read.headers().firstValue("Content-Type").orElseThrow().startsWith("application/fhir+json"));

        assertEquals(304, server.get("/Patient/" + id, "If-None-Match", "W/\"1\"").statusCode());
        assertEquals(200, server.get("/Patient/" + id, "If-None-Match", "W/\"2\"").statusCode());
        assertEquals(304, server.get("/Patient/" + id, "If-Modified-Since", lastModified).statusCode());
        assertEquals(200, server.get("/Patient/" + id, "If-Modified-Since",
                "Mon, 01 Jan 2001 00:00:00 GMT").statusCode());
    }

    @Test
    void ifMatchOnUpdateAndDelete() throws Exception {
        String id = create();
        String body = "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"active\":false}";
        HttpResponse<String> wrong = server.send("PUT", "/Patient/" + id, body, "If-Match", "W/\"7\"");
        assertEquals(412, wrong.statusCode());
        assertTrue(wrong.body().contains("OperationOutcome"));
        HttpResponse<String> right = server.send("PUT", "/Patient/" + id, body, "If-Match", "W/\"1\"");
        assertEquals(200, right.statusCode());
        assertEquals("W/\"2\"", right.headers().firstValue("ETag").orElseThrow());
        assertEquals(412, server.send("DELETE", "/Patient/" + id, null, "If-Match", "W/\"1\"").statusCode());
        assertEquals(204, server.send("DELETE", "/Patient/" + id, null, "If-Match", "W/\"2\"").statusCode());
        HttpResponse<String> gone = server.get("/Patient/" + id);
        assertEquals(410, gone.statusCode());
        assertTrue(gone.body().contains("\"deleted\""));
        assertEquals(400, server.send("PUT", "/Patient/" + id, body, "If-Match", "banana").statusCode());
    }

    @Test
    void preferReturn() throws Exception {
        String patient = "{\"resourceType\":\"Patient\",\"gender\":\"female\"}";
        HttpResponse<String> minimal = server.send("POST", "/Patient", patient, "Prefer", "return=minimal");
        assertEquals(201, minimal.statusCode());
        assertEquals("", minimal.body());
        assertTrue(minimal.headers().firstValue("Location").isPresent());
        HttpResponse<String> outcome = server.send("POST", "/Patient", patient, "Prefer", "return=OperationOutcome");
        assertTrue(outcome.body().contains("\"resourceType\":\"OperationOutcome\""));
        HttpResponse<String> representation = server.send("POST", "/Patient", patient,
                "Prefer", "return=representation");
        assertTrue(representation.body().contains("\"gender\":\"female\""));
        assertTrue(representation.body().contains("\"versionId\":\"1\""));
    }

    @Test
    void formatsSummaryElementsAndPretty() throws Exception {
        String id = create();
        server.send("PUT", "/Patient/" + id, "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"active\":true,"
                + "\"text\":{\"status\":\"generated\",\"div\":\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">Hi</div>\"},"
                + "\"name\":[{\"family\":\"Ng\"}],\"gender\":\"other\"}");
        HttpResponse<String> xml = server.get("/Patient/" + id + "?_format=xml");
        assertTrue(xml.body().startsWith("<Patient xmlns=\"http://hl7.org/fhir\">"), xml.body());
        assertTrue(xml.headers().firstValue("Content-Type").orElseThrow().startsWith("application/fhir+xml"));
        HttpResponse<String> accept = server.get("/Patient/" + id, "Accept", "application/fhir+xml");
        assertTrue(accept.body().startsWith("<Patient"));
        HttpResponse<String> elements = server.get("/Patient/" + id + "?_elements=gender");
        assertTrue(elements.body().contains("\"gender\""));
        assertFalse(elements.body().contains("\"name\""));
        assertTrue(elements.body().contains("SUBSETTED"));
        HttpResponse<String> data = server.get("/Patient/" + id + "?_summary=data");
        assertFalse(data.body().contains("\"text\""));
        assertTrue(data.body().contains("\"name\""));
        HttpResponse<String> summaryText = server.get("/Patient/" + id + "?_summary=text");
        assertTrue(summaryText.body().contains("\"text\""));
        assertFalse(summaryText.body().contains("\"name\""));
        HttpResponse<String> pretty = server.get("/Patient/" + id + "?_pretty=true");
        assertTrue(pretty.body().contains("\n"));
        assertEquals(406, server.get("/Patient/" + id + "?_format=text/csv").statusCode());
    }

    @Test
    void elementsAndSummaryShapeTheResourcesOfASearchBundle() throws Exception {
        server.send("PUT", "/Patient/shaped", "{\"resourceType\":\"Patient\",\"id\":\"shaped\",\"gender\":\"male\","
                + "\"name\":[{\"family\":\"Shape\"}]}");
        HttpResponse<String> bundle = server.get("/Patient?_id=shaped&_elements=gender");
        assertTrue(bundle.body().contains("\"entry\""), bundle.body());
        assertTrue(bundle.body().contains("\"gender\":\"male\""), bundle.body());
        assertFalse(bundle.body().contains("\"family\""), bundle.body());
        assertTrue(bundle.body().contains("SUBSETTED"), bundle.body());
        HttpResponse<String> xml = server.get("/Patient?_id=shaped&_summary=true&_format=xml");
        assertTrue(xml.body().contains("<entry>"), xml.body());
    }

    @Test
    void gzipWhenAsked() throws Exception {
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            names.append(i == 0 ? "" : ",").append("{\"family\":\"Family").append(i).append("\"}");
        }
        HttpResponse<String> created = server.send("POST", "/Patient",
                "{\"resourceType\":\"Patient\",\"name\":[" + names + "]}");
        String location = created.headers().firstValue("Location").orElseThrow();
        String path = location.substring(server.base.length(), location.indexOf("/_history"));
        HttpResponse<byte[]> gz = server.http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(server.base + path)).header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("gzip", gz.headers().firstValue("Content-Encoding").orElseThrow());
        String body = new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz.body()))
                .readAllBytes());
        assertTrue(body.contains("Family99"));
    }

    @Test
    void historySinceAndAt() throws Exception {
        String id = create();
        Thread.sleep(20);
        Instant between = Instant.now();
        Thread.sleep(20);
        server.send("PUT", "/Patient/" + id, "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"active\":false}");
        HttpResponse<String> since = server.get("/Patient/" + id + "/_history?_since=" + between);
        assertTrue(since.body().contains("\"versionId\":\"2\""));
        assertFalse(since.body().contains("\"versionId\":\"1\""));
        HttpResponse<String> at = server.get("/Patient/" + id + "/_history?_at=" + between);
        assertTrue(at.body().contains("\"versionId\":\"1\""), at.body());
        assertFalse(at.body().contains("\"versionId\":\"2\""));
        assertEquals(400, server.get("/Patient/" + id + "/_history?_since=yesterday").statusCode());
        assertEquals(404, server.get("/Patient/unknown-one/_history").statusCode());
    }

    @Test
    void forwardedHeadersShapeLinks() throws Exception {
        HttpResponse<String> r = server.send("POST", "/Patient", "{\"resourceType\":\"Patient\"}",
                "X-Forwarded-Proto", "https", "X-Forwarded-Host", "fhir.example.org");
        assertTrue(r.headers().firstValue("Location").orElseThrow().startsWith("https://fhir.example.org/Patient/"),
                r.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> forwarded = server.send("POST", "/Patient", "{\"resourceType\":\"Patient\"}",
                "Forwarded", "proto=https;host=ehr.example.com:8443");
        assertTrue(forwarded.headers().firstValue("Location").orElseThrow()
                .startsWith("https://ehr.example.com:8443/Patient/"));
    }
}
