package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fhirbolt.app.load.HttpTarget;
import dev.fhirbolt.app.load.LoadTarget;
import dev.fhirbolt.app.load.Loader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transaction whose processing would need more heap than the server lets requests take (request-memory-mb) is
 * refused before it is parsed, with a 413 that names the setting; {@code fhirbolt load} then sends it as smaller
 * transactions whose resources keep pointing at each other.
 */
class LargeTransactionTest {

    @TempDir
    Path dir;

    /** A Synthea-like transaction: patients, each with observations referring to it by urn:uuid. */
    static String transaction(int patients, int observationsEach) {
        StringBuilder b = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
        String padding = "x".repeat(400);
        for (int p = 0; p < patients; p++) {
            String patient = UUID.randomUUID().toString();
            b.append(p == 0 ? "" : ",").append("{\"fullUrl\":\"urn:uuid:").append(patient)
                    .append("\",\"resource\":{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:test\","
                            + "\"value\":\"big-").append(p).append("\"}]},\"request\":{\"method\":\"POST\","
                            + "\"url\":\"Patient\"}}");
            for (int o = 0; o < observationsEach; o++) {
                b.append(",{\"fullUrl\":\"urn:uuid:").append(UUID.randomUUID()).append("\",\"resource\":{"
                        + "\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"").append(padding)
                        .append("\"},\"subject\":{\"reference\":\"urn:uuid:").append(patient)
                        .append("\"}},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}");
            }
        }
        return b.append("]}").toString();
    }

    @Test
    void aTransactionTooLargeForTheHeapIsRefusedUpFrontAndTheLoaderSplitsIt() throws Exception {
        String bundle = transaction(40, 60); // about 1.3 MB, 2,440 entries
        try (TestServer server = TestServer.start(dir.resolve("data"), Map.of("request-memory-mb", "16"))) {
            HttpResponse<String> refused = server.send("POST", "", bundle);
            assertEquals(413, refused.statusCode(), refused.body());
            JsonNode outcome = SyntheaLoadTest.MAPPER.readTree(refused.body());
            assertEquals("OperationOutcome", outcome.path("resourceType").asText());
            assertEquals("too-costly", outcome.path("issue").get(0).path("code").asText());
            assertTrue(refused.body().contains("request-memory-mb"), refused.body());
            assertEquals(0, count(server, "/Patient?_summary=count"));

            Path file = dir.resolve("big.json");
            Files.writeString(file, bundle);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Loader.Summary summary;
            try (LoadTarget target = new HttpTarget(server.base)) {
                summary = new Loader(target, new Loader.Options(1, 500, false), new PrintStream(err, true))
                        .load(List.of(file));
            }
            assertEquals(0, summary.errorCount(), err.toString());
            assertEquals(40 * 61, summary.resources());
            assertTrue(err.toString().contains("sent as 3 transactions"), err.toString());
            assertEquals(40, count(server, "/Patient?_summary=count"));
            // references across parts point at the stored patients
            assertEquals(60, count(server, "/Observation?subject:Patient.identifier=urn:test%7Cbig-39"
                    + "&_summary=count"));
            assertEquals(60, count(server, "/Observation?subject:Patient.identifier=urn:test%7Cbig-0"
                    + "&_summary=count"));
        }
    }

    @Test
    void aTransactionWithinTheBudgetCommitsAsOne() throws Exception {
        String bundle = transaction(7, 80); // about 300 KB: reserves memory, and fits
        try (TestServer server = TestServer.start(dir.resolve("data"), Map.of("request-memory-mb", "16"))) {
            HttpResponse<String> response = server.send("POST", "", bundle);
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(7, count(server, "/Patient?_summary=count"));
        }
    }

    /** A body that could never fit is refused from its Content-Length, before it is read (only 10 bytes come). */
    @Test
    void aDeclaredBodyTooLargeForTheBudgetIsRefusedBeforeItIsRead() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("data"), Map.of("request-memory-mb", "16"))) {
            String answer = rawRequest(server, "Content-Length: 2000000\r\n", "{\"resourceT".getBytes(), false);
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.contains("request-memory-mb"), answer);
            assertTrue(answer.contains("\"resourceType\":\"OperationOutcome\""), answer);
        }
    }

    /** A chunked body has its memory reserved as it arrives: refused once it outgrows the budget, unfinished. */
    @Test
    void aChunkedBodyIsRefusedOnceItOutgrowsTheBudget() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("data"), Map.of("request-memory-mb", "16"))) {
            java.io.ByteArrayOutputStream chunks = new java.io.ByteArrayOutputStream();
            byte[] piece = "x".repeat(64 * 1024).getBytes();
            for (int i = 0; i < 48; i++) { // 3 MB, and never the last chunk
                chunks.write((Integer.toHexString(piece.length) + "\r\n").getBytes());
                chunks.write(piece);
                chunks.write("\r\n".getBytes());
            }
            String answer = rawRequest(server, "Transfer-Encoding: chunked\r\n", chunks.toByteArray(), true);
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.contains("request-memory-mb"), answer);
        }
    }

    /** Sends a POST /Patient with {@code header} and {@code body}, leaving the body unfinished; the answer. */
    private static String rawRequest(TestServer server, String header, byte[] body, boolean mayBeCut)
            throws Exception {
        java.net.URI uri = java.net.URI.create(server.base);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(15_000);
            var out = socket.getOutputStream();
            out.write(("POST /Patient HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/fhir+json\r\n"
                    + header + "\r\n").getBytes());
            // written by another thread: the server may answer, and stop reading, before all of it is sent
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    out.write(body);
                    out.flush();
                } catch (java.io.IOException e) {
                    // cut off by the answer
                }
            });
            if (!mayBeCut) {
                writer.join(15_000);
            }
            byte[] answer = new byte[8192];
            int n = 0;
            try {
                for (int r; n < answer.length && (r = socket.getInputStream().read(answer, n, answer.length - n)) > 0; ) {
                    n += r;
                    String text = new String(answer, 0, n);
                    if (text.contains("\r\n\r\n") && text.contains("}")) {
                        break;
                    }
                }
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("no answer within 15 s; received: " + new String(answer, 0, n), e);
            }
            return new String(answer, 0, n);
        }
    }

    private static long count(TestServer server, String path) throws Exception {
        HttpResponse<String> r = server.get(path);
        assertEquals(200, r.statusCode(), r.body());
        return SyntheaLoadTest.MAPPER.readTree(r.body()).path("total").asLong();
    }
}
