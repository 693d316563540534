package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Validation on write (default {@code base}) over HTTP: single writes, Bundles, PATCH, settings, Synthea. */
class ValidationOnWriteTest {

    private static final String NO_STATUS = "{\"resourceType\":\"Observation\",\"code\":{\"text\":\"weight\"}}";

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static int count(TestServer s, String type) throws Exception {
        String body = s.get("/" + type + "?_summary=count").body();
        var m = java.util.regex.Pattern.compile("\"total\":(\\d+)").matcher(body);
        assertTrue(m.find(), body);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void observationWithoutStatusIsRefusedNamingTheElement() throws Exception {
        int before = count(server, "Observation");
        HttpResponse<String> r = server.send("POST", "/Observation", NO_STATUS);
        assertEquals(422, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"Observation.status\""), r.body());
        assertTrue(r.body().contains("OperationOutcome"), r.body());
        assertEquals(422, server.send("PUT", "/Observation/o1", NO_STATUS.replace("{\"resourceType\":\"Observation\",",
                "{\"resourceType\":\"Observation\",\"id\":\"o1\",")).statusCode());
        assertEquals(before, count(server, "Observation"));
    }

    @Test
    void writesBreakingCoreInvariantsAreRefusedNamingTheConstraint() throws Exception {
        String obs6 = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"w\"},"
                + "\"valueQuantity\":{\"value\":70},\"dataAbsentReason\":{\"text\":\"declined\"}}";
        String pat1 = "{\"resourceType\":\"Patient\",\"contact\":[{\"relationship\":[{\"text\":\"mother\"}]}]}";
        String per1 = "{\"resourceType\":\"Encounter\",\"status\":\"finished\",\"class\":{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"AMB\"},"
                + "\"period\":{\"start\":\"2024-02-01\",\"end\":\"2024-01-01\"}}";
        String dom3 = "{\"resourceType\":\"Patient\",\"contained\":[{\"resourceType\":\"Organization\","
                + "\"id\":\"o\",\"name\":\"x\"}]}";
        for (String[] c : new String[][] {{"Observation", obs6, "obs-6", "\"Observation\""},
                {"Patient", pat1, "pat-1", "\"Patient.contact\""}, {"Encounter", per1, "per-1", "\"Encounter.period\""},
                {"Patient", dom3, "dom-3", "\"Patient\""}}) {
            int before = count(server, c[0]);
            HttpResponse<String> r = server.send("POST", "/" + c[0], c[1]);
            assertEquals(422, r.statusCode(), c[2] + ": " + r.body());
            assertTrue(r.body().contains("constraint " + c[2] + " failed"), r.body());
            assertTrue(r.body().contains("\"invariant\""), r.body());
            assertTrue(r.body().contains(c[3]), r.body());
            assertEquals(before, count(server, c[0]));
        }
        String fixed = "{\"resourceType\":\"Patient\",\"contained\":[{\"resourceType\":\"Organization\","
                + "\"id\":\"o\",\"name\":\"x\"}],\"managingOrganization\":{\"reference\":\"#o\"}}";
        assertEquals(201, server.send("POST", "/Patient", fixed).statusCode());
    }

    @Test
    void transactionWithAnInvalidEntryStoresNothing() throws Exception {
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"resource\":{\"resourceType\":\"Patient\",\"gender\":\"male\"},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
                + "{\"resource\":" + NO_STATUS + ",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}";
        int patients = count(server, "Patient");
        HttpResponse<String> r = server.send("POST", "/", bundle);
        assertEquals(422, r.statusCode(), r.body());
        assertTrue(r.body().contains("Observation.status"), r.body());
        assertEquals(patients, count(server, "Patient"));
    }

    @Test
    void batchRefusesOnlyTheInvalidEntry() throws Exception {
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":["
                + "{\"resource\":{\"resourceType\":\"Patient\",\"gender\":\"male\"},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
                + "{\"resource\":" + NO_STATUS + ",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}";
        HttpResponse<String> r = server.send("POST", "/", bundle);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"status\":\"201"), r.body());
        assertTrue(r.body().contains("\"status\":\"422"), r.body());
        assertTrue(r.body().contains("Observation.status"), r.body());
    }

    @Test
    void patchThatRemovesARequiredElementIsRefused() throws Exception {
        String obs = "{\"resourceType\":\"Observation\",\"id\":\"p1\",\"status\":\"final\",\"code\":{\"text\":\"w\"}}";
        assertEquals(201, server.send("PUT", "/Observation/p1", obs).statusCode());
        HttpResponse<String> r = server.send("PATCH", "/Observation/p1", "[{\"op\":\"remove\",\"path\":\"/status\"}]",
                "Content-Type", "application/json-patch+json");
        assertEquals(422, r.statusCode(), r.body());
        assertTrue(server.get("/Observation/p1").body().contains("\"final\""));
    }

    @Test
    void syntheaPassesBase() throws Exception {
        for (String name : new String[] {"hospitalInformation1735689600000.json",
                "practitionerInformation1735689600000.json",
                "Lavern240_Treutel973_7353e17f-0cd5-5b0a-c736-92b9ca5f8366.json"}) {
            String bundle = Files.readString(Path.of("src/test/resources/synthea", name));
            HttpResponse<String> r = server.send("POST", "/", bundle);
            assertEquals(200, r.statusCode(), name + ": " + r.body().substring(0, Math.min(2000, r.body().length())));
        }
    }

    @Test
    void offAndPerTypeSettings() throws Exception {
        try (TestServer off = TestServer.start(Files.createTempDirectory("fhirbolt-val-off"),
                Map.of("validation", "off", "validation.Condition", "base"))) {
            assertEquals(201, off.send("POST", "/Observation", NO_STATUS).statusCode());
            HttpResponse<String> r = off.send("POST", "/Condition", "{\"resourceType\":\"Condition\"}");
            assertEquals(422, r.statusCode(), r.body());
            assertTrue(r.body().contains("Condition.subject"), r.body());
        }
    }
}
