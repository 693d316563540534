package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fhirbolt.app.load.HttpTarget;
import dev.fhirbolt.app.load.LoadTarget;
import dev.fhirbolt.app.load.Loader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** $everything of real Synthea patients: their whole compartment and what it references, nobody else's data. */
class SyntheaEverythingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everythingOfEachSyntheaPatient() throws Exception {
        Path dir = Files.createTempDirectory("fhirbolt-everything");
        try (TxServer server = TxServer.start(dir.resolve("data"));
                LoadTarget target = new HttpTarget(server.baseUrl)) {
            Loader.Summary summary = new Loader(target, new Loader.Options(4, 500, false), System.err)
                    .load(Loader.collect(List.of(SyntheaLoadTest.SAMPLE)));
            assertEquals(0, summary.errorCount());
            Set<String> patients = refs(get(server, "/Patient?_count=100"), null);
            assertEquals(2, patients.size());
            for (String patient : patients) {
                JsonNode everything = get(server, "/" + patient + "/$everything?_count=1000");
                Set<String> matches = refs(everything, "match");
                Set<String> includes = refs(everything, "include");
                Set<String> compartment = refs(get(server, "/" + patient + "/*?_count=1000"), null);
                assertTrue(matches.contains(patient));
                assertTrue(compartment.size() > 50, "a Synthea record is large: " + compartment.size());
                assertTrue(matches.containsAll(compartment), "$everything holds the whole compartment");
                assertEquals(compartment.size() + (compartment.contains(patient) ? 0 : 1), matches.size());
                assertEquals(everything.path("total").asInt(), matches.size() + includes.size());
                assertTrue(includes.stream().anyMatch(r -> r.startsWith("Practitioner/")), includes.toString());
                assertTrue(includes.stream().anyMatch(r -> r.startsWith("Organization/")), includes.toString());
                for (String other : patients) {
                    if (!other.equals(patient)) {
                        assertFalse(matches.contains(other) || includes.contains(other));
                        assertFalse(everything.toString().contains("\"reference\":\"" + other + "\""),
                                "nothing of the other patient");
                    }
                }
            }
        }
    }

    private JsonNode get(TxServer server, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static Set<String> refs(JsonNode bundle, String mode) {
        Set<String> refs = new HashSet<>();
        for (JsonNode entry : bundle.path("entry")) {
            if (mode == null || mode.equals(entry.path("search").path("mode").asText())) {
                JsonNode resource = entry.path("resource");
                refs.add(resource.path("resourceType").asText() + "/" + resource.path("id").asText());
            }
        }
        return refs;
    }
}
