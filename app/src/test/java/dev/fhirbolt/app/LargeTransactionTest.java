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

    private static long count(TestServer server, String path) throws Exception {
        HttpResponse<String> r = server.get(path);
        assertEquals(200, r.statusCode(), r.body());
        return SyntheaLoadTest.MAPPER.readTree(r.body()).path("total").asLong();
    }
}
