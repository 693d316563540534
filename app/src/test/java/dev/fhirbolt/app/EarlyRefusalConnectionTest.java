package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests with a body that the server refuses from their headers alone (no token, not an admin, a declared length
 * over the limit, an unknown Content-Encoding): the body, up to 1 MiB, is read and discarded before the answer, so
 * the client (the JDK's HttpClient here, keeping its connection alive) reads the answer and sends its next request on
 * the same connection; a larger body gets {@code Connection: close}, so the next request goes on a new connection
 * instead of the one the server closes for the unread bytes. The next request, a POST that the client does not retry,
 * always gets its answer (before: "header parser received no bytes", or a reset while the body was being sent).
 */
class EarlyRefusalConnectionTest {

    private static final String PASSWORD = "early-refusal-admin";
    /** Large enough that the body is still arriving when the answer goes out. */
    private static final String BIG = "{\"resourceType\":\"Patient\",\"note\":\"" + "x".repeat(256 * 1024) + "\"}";
    private static final String PATIENT = "{\"resourceType\":\"Patient\",\"active\":true}";

    @TempDir
    static Path dir;
    private static TestServer secured;
    private static TestServer open;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        secured = TestServer.start(Files.createDirectories(dir.resolve("secured")),
                Map.of("security", "smart", "admin-password", PASSWORD));
        open = TestServer.start(Files.createDirectories(dir.resolve("open")), Map.of("max-body-bytes", "65536"));
    }

    @AfterAll
    static void stop() {
        if (secured != null) {
            secured.close();
        }
        if (open != null) {
            open.close();
        }
    }

    @Test
    void aCreateWithoutTokenIsRefusedAndTheNextRequestIsAnswered() throws Exception {
        for (int i = 0; i < 20; i++) {
            refusedThenAnswered(secured, post(secured, "/Patient", BIG, "application/fhir+json"), 401,
                    post(secured, "/auth/register", PATIENT, "application/json"), 401);
        }
    }

    @Test
    void anAdminUploadWithoutCredentialsIsRefusedAndTheNextRequestIsAnswered() throws Exception {
        for (int i = 0; i < 10; i++) {
            refusedThenAnswered(secured, post(secured, "/admin/packages", BIG, "application/gzip"), 401,
                    post(secured, "/admin/backups", PATIENT, "application/json"), 401);
        }
    }

    @Test
    void aBodyOverTheLimitIsRefusedAndTheNextCreateIsAnswered() throws Exception {
        for (int i = 0; i < 20; i++) {
            refusedThenAnswered(open, post(open, "/Patient", BIG, "application/fhir+json"), 413,
                    post(open, "/Patient", PATIENT, "application/fhir+json"), 201);
        }
    }

    @Test
    void anUnknownContentEncodingIsRefusedAndTheNextCreateIsAnswered() throws Exception {
        for (int i = 0; i < 20; i++) {
            HttpRequest brotli = HttpRequest.newBuilder(URI.create(open.base + "/Patient"))
                    .header("Content-Type", "application/fhir+json").header("Content-Encoding", "br")
                    .POST(HttpRequest.BodyPublishers.ofString("x".repeat(60_000))).build();
            refusedThenAnswered(open, brotli, 415, post(open, "/Patient", PATIENT, "application/fhir+json"), 201);
        }
    }

    @Test
    void aBodyOverTheDrainLimitClosesTheConnectionAndTheNextCreateIsAnswered() throws Exception {
        String huge = "x".repeat((int) UnreadBodyGuard.DRAIN_LIMIT * 2);
        int answered = 0;
        for (int i = 0; i < 10; i++) {
            try {
                HttpResponse<String> refused = client.send(post(open, "/Patient", huge, "application/fhir+json"),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(413, refused.statusCode(), refused.body());
                assertEquals("close", refused.headers().firstValue("Connection").orElse(""),
                        refused.headers().toString());
                answered++;
            } catch (java.io.IOException e) {
                // the client may still be sending the body when the server closes: it cannot read the 413 then
            }
            HttpResponse<String> next = client.send(post(open, "/Patient", PATIENT, "application/fhir+json"),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, next.statusCode(), next.body());
        }
        System.out.println("413 read by the client " + answered + " times of 10");
    }

    @Test
    void aCreateThatReadsItsBodyKeepsTheConnection() throws Exception {
        HttpResponse<String> created = client.send(post(open, "/Patient", PATIENT, "application/fhir+json"),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        assertTrue(created.headers().firstValue("Connection").isEmpty(), created.headers().toString());
    }

    private void refusedThenAnswered(TestServer server, HttpRequest refused, int refusedStatus, HttpRequest next,
            int nextStatus) throws Exception {
        HttpResponse<String> first = client.send(refused, HttpResponse.BodyHandlers.ofString());
        assertEquals(refusedStatus, first.statusCode(), first.body());
        assertTrue(first.headers().firstValue("Connection").isEmpty(), first.headers().toString());
        assertTrue(first.body().contains("\"resourceType\"") || first.body().contains("\"error\""), first.body());
        HttpResponse<String> second = client.send(next, HttpResponse.BodyHandlers.ofString());
        assertEquals(nextStatus, second.statusCode(), server.base + ": " + second.body());
    }

    private static HttpRequest post(TestServer server, String path, String body, String contentType) {
        return HttpRequest.newBuilder(URI.create(server.base + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
