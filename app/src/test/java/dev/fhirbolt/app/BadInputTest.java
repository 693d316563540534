package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad request is refused with an OperationOutcome and leaves nothing stored. */
class BadInputTest {

    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(java.nio.file.Files.createTempDirectory("fhirbolt-bad"),
                Map.of("max-body-bytes", "2000"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> badCreates() {
        return Stream.of(
                Arguments.of("malformed JSON", "application/fhir+json", "{\"resourceType\":\"Patient\",", 400,
                        "not a valid FHIR R4 resource"),
                Arguments.of("malformed XML", "application/fhir+xml", "<Patient xmlns=\"http://hl7.org/fhir\">", 400,
                        "not a valid FHIR R4 resource"),
                Arguments.of("unknown element", "application/fhir+json",
                        "{\"resourceType\":\"Patient\",\"favouriteColour\":\"blue\"}", 400, "favouriteColour"),
                Arguments.of("unknown XML element", "application/fhir+xml",
                        "<Patient xmlns=\"http://hl7.org/fhir\"><shoeSize value=\"9\"/></Patient>", 400, "shoeSize"),
                Arguments.of("wrong primitive", "application/fhir+json",
                        "{\"resourceType\":\"Patient\",\"birthDate\":\"last tuesday\"}", 400, "last tuesday"),
                Arguments.of("wrong boolean", "application/fhir+json",
                        "{\"resourceType\":\"Patient\",\"active\":\"yes\"}", 400, "active"),
                Arguments.of("type mismatch", "application/fhir+json", "{\"resourceType\":\"Observation\","
                        + "\"status\":\"final\",\"code\":{\"text\":\"x\"}}", 400, "URL names Patient"),
                Arguments.of("no body", "application/fhir+json", "", 400, "needs a body"),
                Arguments.of("unknown resource type in body", "application/fhir+json",
                        "{\"resourceType\":\"Banana\"}", 400, "Banana"),
                Arguments.of("unsupported content type", "text/plain", "hello", 415, "text/plain"),
                Arguments.of("too large", "application/fhir+json", "{\"resourceType\":\"Patient\",\"name\":[{\"text\":\""
                        + "x".repeat(3000) + "\"}]}", 413, "limit of 2000 bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCreates")
    void refusedWithOperationOutcomeAndNothingStored(String what, String contentType, String body, int status,
            String message) throws Exception {
        HttpResponse<String> r = server.send("POST", "/Patient", body, "Content-Type", contentType);
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"resourceType\":\"OperationOutcome\""), r.body());
        assertTrue(r.body().contains(message), r.body());
        assertFalse(r.body().contains("Exception"), "no Java internals leak: " + r.body());
        assertFalse(r.body().contains("HAPI-"), r.body());
        assertNothingStored();
    }

    @Test
    void aGzipBodyIsHeldToTheLimitOnceDecoded() throws Exception {
        java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(zipped)) {
            gz.write(("{\"resourceType\":\"Patient\",\"name\":[{\"text\":\"" + " ".repeat(1_000_000) + "\"}]}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertTrue(zipped.size() < 2000, "small on the wire: " + zipped.size());
        HttpResponse<String> r = server.http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(server.base + "/Patient")).header("Content-Type", "application/fhir+json")
                        .header("Content-Encoding", "gzip")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(zipped.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, r.statusCode(), r.body());
        assertTrue(r.body().contains("limit of 2000 bytes"), r.body());
        assertNothingStored();
    }

    @Test
    void updateIdMustMatchUrl() throws Exception {
        HttpResponse<String> missing = server.send("PUT", "/Patient/abc", "{\"resourceType\":\"Patient\"}");
        assertEquals(400, missing.statusCode());
        assertTrue(missing.body().contains("needs the resource id"));
        HttpResponse<String> other = server.send("PUT", "/Patient/abc", "{\"resourceType\":\"Patient\",\"id\":\"xyz\"}");
        assertEquals(400, other.statusCode());
        assertTrue(other.body().contains("does not match"));
        assertNothingStored();
    }

    @Test
    void unknownTypesPathsAndIds() throws Exception {
        HttpResponse<String> type = server.get("/Banana/1");
        assertEquals(404, type.statusCode());
        assertTrue(type.body().contains("not a FHIR R4 resource type"));
        assertEquals(404, server.get("/patient/1").statusCode());
        assertEquals(400, server.get("/Patient/" + "x".repeat(65)).statusCode());
        assertEquals(400, server.get("/Patient/a_b").statusCode());
        assertEquals(404, server.get("/Patient/1/_history/abc").statusCode());
        assertEquals(405, server.send("POST", "/Patient/1", "{}").statusCode());
        assertEquals(404, server.get("/Patient/1/foo/bar/baz").statusCode());
        assertEquals(404, server.send("POST", "/$no-such-operation", "{}").statusCode());
    }

    private static void assertNothingStored() throws Exception {
        HttpResponse<String> history = server.get("/Patient/_history");
        assertFalse(history.body().contains("\"entry\""), history.body());
    }
}
