package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transaction many times larger than a heap could hold as a model commits as ONE transaction, read entry by entry:
 * over HTTP into a server with a 192 MB heap, and offline with {@code fhirbolt load --data-dir} in a 320 MB JVM. Read
 * whole, such a transaction needed 15 times its size and was refused (413) or split by the loader.
 */
class StreamedTransactionTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path dir;

    /**
     * About {@code megabytes} MB: a Patient found by a conditional create, then Observations of 20 KB each referring
     * to it by urn:uuid and to a stored Practitioner by a conditional reference; {@code lastReference} is the
     * conditional reference of the last entry.
     */
    static String transaction(int megabytes, String lastReference) {
        String patient = UUID.randomUUID().toString();
        StringBuilder b = new StringBuilder(megabytes * 1_050_000);
        b.append("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"fullUrl\":\"urn:uuid:")
                .append(patient).append("\",\"resource\":{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":"
                        + "\"urn:test\",\"value\":\"streamed\"}]},\"request\":{\"method\":\"POST\",\"url\":\"Patient\","
                        + "\"ifNoneExist\":\"identifier=urn:test|streamed\"}}");
        String text = "x".repeat(20_000);
        int observations = megabytes * 50;
        for (int o = 0; o < observations; o++) {
            String performer = o == observations - 1 ? lastReference : "Practitioner?identifier=urn:test|doc";
            b.append(",{\"fullUrl\":\"urn:uuid:").append(UUID.randomUUID()).append("\",\"resource\":{"
                    + "\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"n").append(o)
                    .append(' ').append(text).append("\"},\"subject\":{\"reference\":\"urn:uuid:").append(patient)
                    .append("\"},\"performer\":[{\"reference\":\"").append(performer)
                    .append("\"}]},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}");
        }
        return b.append("]}").toString();
    }

    @Test
    void aLargeTransactionCommitsAsOneOverHttpWithASmallHeap() throws Exception {
        int port = freePort();
        CliProcess server = CliProcess.withHeap("192m", "serve", "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--data-dir", dir.resolve("data").toString(), "--security", "off");
        String base = "http://127.0.0.1:" + port;
        try {
            awaitHealth(server, base);
            assertEquals(201, send(base, "POST", "/Practitioner", "{\"resourceType\":\"Practitioner\","
                    + "\"identifier\":[{\"system\":\"urn:test\",\"value\":\"doc\"}]}").statusCode());

            // a failure at the last entry: nothing of the transaction is stored
            HttpResponse<String> failed = send(base, "POST", "", transaction(5, "Practitioner?identifier=urn:test|none"));
            assertEquals(412, failed.statusCode(), failed.body());
            assertTrue(failed.body().contains("\"resourceType\":\"OperationOutcome\""), failed.body());
            assertEquals(0, count(base, "/Observation?_summary=count"));
            assertEquals(0, count(base, "/Patient?_summary=count"));

            HttpResponse<String> committed = send(base, "POST", "", transaction(15, "Practitioner?identifier=urn:test|doc"));
            assertEquals(200, committed.statusCode(), committed.body());
            JsonNode response = SyntheaLoadTest.MAPPER.readTree(committed.body());
            assertEquals(751, response.path("entry").size());
            assertEquals(750, count(base, "/Observation?_summary=count"));
            // every resource of the transaction has the same lastUpdated: one commit
            JsonNode history = SyntheaLoadTest.MAPPER.readTree(send(base, "GET",
                    "/Observation?_count=750&_elements=id", null).body());
            assertEquals(1, java.util.stream.StreamSupport.stream(history.path("entry").spliterator(), false)
                    .map(e -> e.path("resource").path("meta").path("lastUpdated").asText()).distinct().count());
            // urn:uuid references point at the created patient, conditional ones at the stored practitioner
            String patient = SyntheaLoadTest.MAPPER.readTree(send(base, "GET", "/Patient", null).body())
                    .path("entry").get(0).path("resource").path("id").asText();
            assertEquals(750, count(base, "/Observation?subject=Patient/" + patient + "&_summary=count"));
            String doc = SyntheaLoadTest.MAPPER.readTree(send(base, "GET", "/Practitioner", null).body())
                    .path("entry").get(0).path("resource").path("id").asText();
            assertEquals(750, count(base, "/Observation?performer=Practitioner/" + doc + "&_summary=count"));

            // the conditional create matches the patient now: still one
            assertEquals(200, send(base, "POST", "", transaction(5, "Practitioner?identifier=urn:test|doc"))
                    .statusCode());
            assertEquals(1, count(base, "/Patient?_summary=count"));
        } finally {
            server.process.destroy();
            server.exitCode(30);
        }
    }

    @Test
    void theOfflineLoaderCommitsALargeTransactionWhole() throws Exception {
        Path file = dir.resolve("big.json");
        Files.writeString(file, "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
                + "{\"resourceType\":\"Practitioner\",\"identifier\":[{\"system\":\"urn:test\",\"value\":\"doc\"}]},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Practitioner\"}}]}");
        Path practitioner = dir.resolve("practitionerInformation1.json");
        Files.move(file, practitioner);
        Files.writeString(file, transaction(15, "Practitioner?identifier=urn:test|doc"));
        CliProcess load = CliProcess.withHeap("320m", "load", "--no-progress", "--data-dir",
                dir.resolve("data").toString(), practitioner.toString(), file.toString());
        int code = load.exitCode(180);
        String text = load.out() + load.err();
        assertEquals(0, code, text);
        assertTrue(text.contains("loaded 752 resources"), text);
        assertFalse(text.contains("sent as"), text);
    }

    private static void awaitHealth(CliProcess server, String base) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (send(base, "GET", "/health", null).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                if (!server.process.isAlive()) {
                    throw new AssertionError("the server ended: " + server.out() + server.err());
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the server did not start: " + server.out() + server.err());
    }

    private static HttpResponse<String> send(String base, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/fhir+json").header("Accept", "application/fhir+json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long count(String base, String path) throws Exception {
        HttpResponse<String> r = send(base, "GET", path, null);
        assertEquals(200, r.statusCode(), r.body());
        return SyntheaLoadTest.MAPPER.readTree(r.body()).path("total").asLong();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
