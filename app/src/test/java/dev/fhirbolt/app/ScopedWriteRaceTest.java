package dev.fhirbolt.app;

import static dev.fhirbolt.app.SmartEnforcementTest.A;
import static dev.fhirbolt.app.SmartEnforcementTest.B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A patient token's plain updates racing a system client that moves the same Observation between two patients'
 * compartments: every update the patient token makes must replace a version that was in its own compartment.
 */
class ScopedWriteRaceTest {

    static FhirboltServer server;
    static Smart smart;
    static String system;
    static String tokenA;

    @BeforeAll
    static void start() throws Exception {
        server = FhirboltServer.start(ConfigLoader.load(Optional.empty(), Map.of(), Map.of("port", "0", "data-dir",
                Files.createTempDirectory("fhirbolt-race").toString(), "security", "smart", "admin-password",
                "admin-secret-1", "demo-setup", "true")));
        smart = new Smart("http://localhost:" + server.port(), "admin-secret-1");
        smart.registerPublicApp("test-app");
        KeyPair mover = smart.registerBackend("mover", "system/*.cruds");
        system = smart.backendToken("mover", mover, "system/*.cruds");
        tokenA = smart.userToken("test-app", "patient1", "patient1-demo", "launch/patient patient/*.cruds", null)
                .get("access_token").asText();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static void put(String id, String json) throws Exception {
        Smart.Res r = smart.fhir(system, "PUT", "/Observation/" + id, json);
        assertTrue(r.status() == 200 || r.status() == 201, r.status() + " " + r.body());
    }

    static String observationOf(String patient, String status) {
        return observationOf("race", patient, status);
    }

    static String observationOf(String id, String patient, String status) {
        return "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"" + status + "\","
                + "\"code\":{\"text\":\"x\"},"
                + "\"subject\":{\"reference\":\"Patient/" + patient + "\"}}";
    }

    @Test
    void updatesRacingAMoveNeverLandOnAnotherPatient() throws Exception {
        put("race", observationOf(A, "final"));
        String byA = observationOf(A, "amended");
        List<Integer> answers = Collections.synchronizedList(new ArrayList<>());
        Thread mover = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < 150; i++) {
                    put("race", observationOf(i % 2 == 0 ? B : A, "final"));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        for (int i = 0; i < 150; i++) {
            answers.add(smart.fhir(tokenA, "PUT", "/Observation/race", byA).status());
        }
        mover.join();
        assertTrue(answers.stream().allMatch(s -> s == 200 || s == 404), "A's updates: " + answers);
        JsonNode history = smart.get(system, "/Observation/race/_history?_count=1000").json();
        List<JsonNode> newestFirst = new ArrayList<>();
        history.path("entry").forEach(e -> newestFirst.add(e.path("resource")));
        assertEquals(151 + answers.stream().filter(s -> s == 200).count(), newestFirst.size());
        for (int i = 0; i + 1 < newestFirst.size(); i++) {
            if (newestFirst.get(i).path("status").asText().equals("amended")) {
                assertEquals("Patient/" + A, newestFirst.get(i + 1).path("subject").path("reference").asText(),
                        "patient A's token replaced version " + newestFirst.get(i + 1).path("meta").path("versionId")
                                .asText() + ", which was another patient's");
            }
        }
    }

    @Test
    void deletesRacingAMoveNeverRemoveAnotherPatientsResource() throws Exception {
        put("race-delete", observationOf("race-delete", A, "final"));
        List<Integer> answers = Collections.synchronizedList(new ArrayList<>());
        Thread mover = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < 150; i++) {
                    put("race-delete", observationOf("race-delete", i % 2 == 0 ? B : A, "final"));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        for (int i = 0; i < 150; i++) {
            answers.add(smart.fhir(tokenA, "DELETE", "/Observation/race-delete", null).status());
        }
        mover.join();
        assertTrue(answers.stream().allMatch(s -> s == 200 || s == 204 || s == 404), "A's deletes: " + answers);
        JsonNode history = smart.get(system, "/Observation/race-delete/_history?_count=1000").json();
        List<JsonNode> newestFirst = new ArrayList<>();
        history.path("entry").forEach(newestFirst::add);
        for (int i = 0; i + 1 < newestFirst.size(); i++) {
            boolean deletion = newestFirst.get(i).path("request").path("method").asText().equals("DELETE");
            JsonNode before = newestFirst.get(i + 1).path("resource");
            if (deletion && !before.isMissingNode()) { // only A deletes; deleting a deletion changes nothing
                assertEquals("Patient/" + A, before.path("subject").path("reference").asText(),
                        "patient A's token deleted version " + before.path("meta").path("versionId").asText()
                                + ", which was another patient's");
            }
        }
    }

    @Test
    void aGuardedUpdateCreatesThenUpdatesAndDeletes() throws Exception {
        String own = observationOf("a-own", A, "final");
        assertEquals(201, smart.fhir(tokenA, "PUT", "/Observation/a-own", own).status(), "update as create");
        assertEquals(200, smart.fhir(tokenA, "PUT", "/Observation/a-own", own).status());
        Smart.Res stale = smart.fhir(tokenA, "PUT", "/Observation/a-own", own, "If-Match", "W/\"1\"");
        assertEquals(412, stale.status(), stale.body());
        assertEquals(200, smart.fhir(tokenA, "PUT", "/Observation/a-own", own, "If-Match", "W/\"2\"").status());
        Smart.Res delete = smart.fhir(tokenA, "DELETE", "/Observation/a-own", null);
        assertTrue(delete.status() == 200 || delete.status() == 204, delete.status() + " " + delete.body());
        assertEquals(410, smart.get(system, "/Observation/a-own").status());
        assertEquals(201, smart.fhir(tokenA, "PUT", "/Observation/a-own", own).status(), "created again");
    }
}
