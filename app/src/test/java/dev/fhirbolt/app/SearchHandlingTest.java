package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Search parameters the server cannot apply are never silently dropped: strict handling refuses them, lenient
 * handling (the default) says in the Bundle what it ignored, a chain through an unknown parameter is refused, and a
 * search with too many parameters gets a 400 naming the setting.
 */
class SearchHandlingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(java.nio.file.Files.createTempDirectory("fhirbolt-handling"),
                Map.of("search-max-parameters", "20"));
        for (String id : List.of("a", "b")) {
            HttpResponse<String> put = server.send("PUT", "/Patient/" + id,
                    "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"name\":[{\"family\":\"Fam" + id + "\"}]}");
            assertEquals(201, put.statusCode(), put.body());
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"_text=foo", "_content=foo", "_filter=name%20eq%20x", "_sort=nosuch", "nosuch=1",
            "name:nosuchmodifier=x"})
    void strictHandlingRefusesWhatItCannotApply(String query) throws Exception {
        HttpResponse<String> r = server.get("/Patient?" + query, "Prefer", "handling=strict");
        assertEquals(400, r.statusCode(), r.body());
        String name = java.net.URLDecoder.decode(query.substring(0, query.indexOf('=')),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(r.body().contains("OperationOutcome") && r.body().contains(name), r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"_text=foo", "_content=foo", "_filter=name%20eq%20x", "_sort=nosuch", "nosuch=1"})
    void lenientHandlingSaysWhatItIgnored(String query) throws Exception {
        String name = query.substring(0, query.indexOf('='));
        for (String prefer : new String[] {null, "handling=lenient"}) {
            HttpResponse<String> r = prefer == null ? server.get("/Patient?family=Fama&" + query)
                    : server.get("/Patient?family=Fama&" + query, "Prefer", prefer);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode bundle = JSON.readTree(r.body());
            String self = bundle.get("link").get(0).get("url").asText();
            assertTrue(self.endsWith("/Patient?family=Fama"), "the self link shows only what was applied: " + self);
            List<JsonNode> outcomes = new ArrayList<>();
            int matches = 0;
            for (JsonNode entry : bundle.get("entry")) {
                String mode = entry.get("search").get("mode").asText();
                if (mode.equals("outcome")) {
                    outcomes.add(entry.get("resource"));
                } else {
                    matches++;
                }
            }
            assertEquals(1, matches, r.body());
            assertEquals(1, bundle.get("total").asInt(), r.body());
            assertEquals(1, outcomes.size(), r.body());
            assertEquals("OperationOutcome", outcomes.get(0).get("resourceType").asText());
            JsonNode issue = outcomes.get(0).get("issue").get(0);
            assertEquals("warning", issue.get("severity").asText());
            String named = name.equals("_sort") ? query.substring(query.indexOf('=') + 1) : name;
            assertTrue(issue.get("diagnostics").asText().contains("'" + named + "'"), issue.toString());
        }
    }

    @Test
    void anUnknownSortKeyIsDroppedAndTheOthersApplyAcrossPages() throws Exception {
        HttpResponse<String> r = server.get("/Patient?_sort=nosuch,-family&_count=1");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode bundle = JSON.readTree(r.body());
        assertTrue(bundle.get("link").get(0).get("url").asText().endsWith("/Patient?_sort=-family&_count=1"),
                r.body());
        assertEquals("b", bundle.get("entry").get(0).get("resource").get("id").asText());
        assertTrue(bundle.get("entry").get(1).get("resource").toString().contains("'nosuch'"), r.body());
        String next = bundle.get("link").get(1).get("url").asText();
        String path = next.substring(next.indexOf("/Patient"));
        HttpResponse<String> second = server.get(path);
        assertEquals(200, second.statusCode(), second.body());
        assertEquals("a", JSON.readTree(second.body()).get("entry").get(0).get("resource").get("id").asText());
    }

    @Test
    void auditEventSearchesAreHandledAlike() throws Exception {
        HttpResponse<String> lenient = server.get("/AuditEvent?nosuch=1");
        assertEquals(200, lenient.statusCode(), lenient.body());
        assertTrue(lenient.body().contains("\"mode\":\"outcome\"") && lenient.body().contains("'nosuch'"),
                lenient.body());
        assertEquals(400, server.get("/AuditEvent?nosuch=1", "Prefer", "handling=strict").statusCode());
        assertEquals(400, server.get("/AuditEvent?agent.name=x").statusCode());
        assertEquals(400, server.get("/AuditEvent?" + "type=x&".repeat(21)).statusCode());
    }

    @Test
    void aConditionWithTooManyParametersIsRefused() throws Exception {
        HttpResponse<String> r = server.send("POST", "/Patient", "{\"resourceType\":\"Patient\"}",
                "If-None-Exist", "family=x" + "&name=x".repeat(20));
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("search-max-parameters"), r.body());
    }

    @Test
    void aSearchThatAppliesEverythingCarriesNoOutcome() throws Exception {
        HttpResponse<String> r = server.get("/Patient?family=Fama");
        assertEquals(200, r.statusCode());
        assertFalse(r.body().contains("\"outcome\""), r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"general-practitioner.nosuch=x", "organization.nosuch=x",
            "general-practitioner:Practitioner.nosuch=x", "_has:Observation:nosuch:code=x",
            "_has:Observation:subject:nosuch=x"})
    void aChainThroughAnUnknownParameterNeverMatchesEverything(String query) throws Exception {
        for (String prefer : new String[] {"handling=lenient", "handling=strict"}) {
            HttpResponse<String> r = server.get("/Patient?" + query, "Prefer", prefer);
            assertEquals(400, r.statusCode(), prefer + ": " + r.body());
            assertTrue(r.body().contains("OperationOutcome") && r.body().contains("nosuch"), r.body());
        }
    }

    @Test
    void tooManyParametersAreRefusedNamingTheSetting() throws Exception {
        StringBuilder query = new StringBuilder("family=Fama");
        for (int i = 0; i < 20; i++) {
            query.append("&name=x").append(i);
        }
        HttpResponse<String> get = server.get("/Patient?" + query);
        assertEquals(400, get.statusCode(), get.body());
        assertTrue(get.body().contains("OperationOutcome") && get.body().contains("search-max-parameters")
                && get.body().contains("at most 20"), get.body());
        HttpResponse<String> post = server.send("POST", "/Patient/_search", query.toString(),
                "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(400, post.statusCode(), post.body());
        assertEquals(200, server.get("/Patient?family=Fama&name=Fama").statusCode());
    }
}
