package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SMART enforcement over real HTTP with real tokens: a patient-A token against patient B's data on every interaction,
 * granular scopes, v1 and v2, user and system scopes, 401s, CORS and the audit trail.
 */
class SmartEnforcementTest {

    static final String A = "demo-patient-1";
    static final String B = "demo-patient-2";
    static final String OBS_CAT = "http://terminology.hl7.org/CodeSystem/observation-category";
    static final String COND_CAT = "http://terminology.hl7.org/CodeSystem/condition-category";

    static FhirboltServer server;
    static Smart smart;
    static String system;      // system/*.cruds + AuditEvent
    static String tokenA;      // patient1: patient/*.cruds
    static String auditor;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> flags = new HashMap<>(Map.of("port", "0", "data-dir",
                Files.createTempDirectory("fhirbolt-smart").toString(), "security", "smart", "admin-password",
                "admin-secret-1", "demo-setup", "true"));
        server = FhirboltServer.start(ConfigLoader.load(Optional.empty(), Map.of(), flags));
        smart = new Smart("http://localhost:" + server.port(), "admin-secret-1");
        smart.registerPublicApp("test-app");
        KeyPair seeder = smart.registerBackend("seeder", "system/*.cruds system/AuditEvent.rs");
        system = smart.backendToken("seeder", seeder, "system/*.cruds system/AuditEvent.rs");
        auditor = smart.backendToken("seeder", seeder, "system/AuditEvent.rs");
        seed();
        tokenA = smart.userToken("test-app", "patient1", "patient1-demo", "launch/patient openid fhirUser patient/*.cruds",
                null).get("access_token").asText();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static void put(String type, String id, String json) throws Exception {
        Smart.Res r = smart.fhir(system, "PUT", "/" + type + "/" + id, "{\"resourceType\":\"" + type + "\",\"id\":\""
                + id + "\"," + json + "}");
        assertTrue(r.status() == 200 || r.status() == 201, r.status() + " " + r.body());
    }

    static String obs(String patient, String category) {
        return "\"status\":\"final\",\"category\":[{\"coding\":[{\"system\":\"" + OBS_CAT + "\",\"code\":\""
                + category + "\"}]}],\"code\":{\"text\":\"x\"},\"subject\":{\"reference\":\"Patient/" + patient + "\"}";
    }

    /** An Observation with an identifier urn:t|{ident}, for conditional interactions. */
    static String obs(String patient, String category, String ident) {
        return obs(patient, category) + ",\"identifier\":[{\"system\":\"urn:t\",\"value\":\"" + ident + "\"}]";
    }

    static String cond(String patient, String category) {
        return "\"category\":[{\"coding\":[{\"system\":\"" + COND_CAT + "\",\"code\":\"" + category + "\"}]}],"
                + "\"code\":{\"text\":\"y\"},\"subject\":{\"reference\":\"Patient/" + patient + "\"}";
    }

    static void seed() throws Exception {
        put("Observation", "a-lab", obs(A, "laboratory"));
        put("Observation", "a-vital", obs(A, "vital-signs"));
        put("Observation", "a-social", obs(A, "social-history"));
        put("Observation", "b-lab", obs(B, "laboratory"));
        put("Condition", "a-problem", cond(A, "problem-list-item"));
        put("Condition", "a-dx", cond(A, "encounter-diagnosis"));
        put("Condition", "b-problem", cond(B, "problem-list-item"));
        put("Medication", "med-1", "\"code\":{\"coding\":[{\"system\":\"urn:m\",\"code\":\"aspirin\"}]}");
        put("Medication", "med-2", "\"code\":{\"coding\":[{\"system\":\"urn:m\",\"code\":\"other\"}]}");
        for (String[] ms : new String[][] {{"a-ms1", A, "med-1"}, {"a-ms2", A, "med-2"}, {"b-ms", B, "med-1"}}) {
            put("MedicationStatement", ms[0], "\"status\":\"active\",\"medicationReference\":{\"reference\":"
                    + "\"Medication/" + ms[2] + "\"},\"subject\":{\"reference\":\"Patient/" + ms[1] + "\"}");
        }
        // conditional writes: "shared" is an identifier of one Observation of A and one of B, "b-only" of B's only
        put("Observation", "a-shared", obs(A, "laboratory", "shared"));
        put("Observation", "b-shared", obs(B, "laboratory", "shared"));
        put("Observation", "b-only", obs(B, "laboratory", "b-only"));
        put("Observation", "b-ref", obs(B, "laboratory", "b-ref"));
        put("Observation", "a-patch", obs(A, "laboratory", "a-patch"));
        put("Observation", "a-g-lab", obs(A, "laboratory", "g"));
        put("Observation", "a-g-vital", obs(A, "vital-signs", "g"));
        put("MedicationRequest", "b-rx", "\"status\":\"active\",\"intent\":\"order\",\"medicationReference\":"
                + "{\"reference\":\"Medication/med-1\"},\"subject\":{\"reference\":\"Patient/" + B + "\"}");
        put("MedicationRequest", "a-rx", "\"status\":\"active\",\"intent\":\"order\",\"medicationReference\":"
                + "{\"reference\":\"Medication/med-1\"},\"subject\":{\"reference\":\"Patient/" + A + "\"}");
    }

    static String patientToken(String scope) throws Exception {
        return smart.userToken("test-app", "patient1", "patient1-demo", "launch/patient " + scope, null)
                .get("access_token").asText();
    }

    static List<String> search(String token, String path) throws Exception {
        Smart.Res r = smart.get(token, path);
        assertEquals(200, r.status(), path + ": " + r.body());
        return Smart.ids(r.json(), "match");
    }

    // ------------------------------------------------------------------ patient A against patient B

    @Test
    void readVreadHistory() throws Exception {
        assertEquals(200, smart.get(tokenA, "/Observation/a-lab").status());
        assertEquals(200, smart.get(tokenA, "/Patient/" + A).status());
        assertEquals(200, smart.get(tokenA, "/Medication/med-1").status()); // not in any patient's compartment
        Smart.Res b = smart.get(tokenA, "/Observation/b-lab");
        assertEquals(404, b.status());
        assertEquals(smart.get(tokenA, "/Observation/no-such-id").json().path("issue").get(0).path("diagnostics")
                .asText().replace("no-such-id", "b-lab"), b.json().path("issue").get(0).path("diagnostics").asText(),
                "an out-of-compartment resource answers exactly like one that does not exist");
        assertEquals(404, smart.get(tokenA, "/Patient/" + B).status());
        assertEquals(200, smart.get(tokenA, "/Observation/a-lab/_history/1").status());
        assertEquals(404, smart.get(tokenA, "/Observation/b-lab/_history/1").status());
        assertEquals(200, smart.get(tokenA, "/Observation/a-lab/_history").status());
        assertEquals(404, smart.get(tokenA, "/Observation/b-lab/_history").status());
        List<String> typeHistory = Smart.ids(smart.get(tokenA, "/Observation/_history").json(), null);
        assertTrue(typeHistory.contains("Observation/a-lab"), typeHistory.toString());
        assertFalse(typeHistory.contains("Observation/b-lab"), typeHistory.toString());
        List<String> systemHistory = Smart.ids(smart.get(tokenA, "/_history").json(), null);
        assertFalse(systemHistory.contains("Observation/b-lab"), systemHistory.toString());
        assertFalse(systemHistory.contains("Patient/" + B), systemHistory.toString());
    }

    @Test
    void searches() throws Exception {
        List<String> type = search(tokenA, "/Observation");
        assertTrue(type.containsAll(List.of("Observation/a-lab", "Observation/a-vital")), type.toString());
        assertFalse(type.contains("Observation/b-lab"), type.toString());
        assertEquals(List.of(), search(tokenA, "/Observation?subject=Patient/" + B));
        List<String> sys = search(tokenA, "/?_type=Observation,Condition");
        assertTrue(sys.contains("Condition/a-problem") && !sys.contains("Condition/b-problem")
                && !sys.contains("Observation/b-lab"), sys.toString());
        assertEquals(404, smart.get(tokenA, "/Patient/" + B + "/Observation").status());
        List<String> own = search(tokenA, "/Patient/" + A + "/Observation");
        assertTrue(own.contains("Observation/a-lab") && !own.contains("Observation/b-lab"), own.toString());
        // chained: both demo patients are called Demo, only A's observations come back
        List<String> chained = search(tokenA, "/Observation?subject:Patient.family=Demo");
        assertTrue(chained.contains("Observation/a-lab") && !chained.contains("Observation/b-lab"), chained.toString());
        // _has: B has a laboratory observation too, but only A can come back
        assertEquals(List.of("Patient/" + A), search(tokenA, "/Patient?_has:Observation:subject:category=laboratory"));
        // _has on a type outside the compartment could probe other patients: refused
        assertEquals(403, smart.get(tokenA,
                "/Medication?_has:MedicationRequest:medication:subject=Patient/" + B).status());
        List<String> patients = search(tokenA, "/Patient");
        assertEquals(List.of("Patient/" + A), patients);
    }

    @Test
    void includes() throws Exception {
        JsonNode inc = smart.get(tokenA, "/MedicationRequest?_include=MedicationRequest:subject").json();
        assertEquals(List.of("MedicationRequest/a-rx"), Smart.ids(inc, "match"));
        assertEquals(List.of("Patient/" + A), Smart.ids(inc, "include"));
        JsonNode rev = smart.get(tokenA, "/Medication?_id=med-1&_revinclude=MedicationRequest:medication").json();
        assertEquals(List.of("Medication/med-1"), Smart.ids(rev, "match"));
        assertEquals(List.of("MedicationRequest/a-rx"), Smart.ids(rev, "include"),
                "B's MedicationRequest must be left out");
    }

    @Test
    void batchEntriesOneByOne() throws Exception {
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":["
                + "{\"request\":{\"method\":\"GET\",\"url\":\"Observation/a-lab\"}},"
                + "{\"request\":{\"method\":\"GET\",\"url\":\"Observation/b-lab\"}},"
                + "{\"request\":{\"method\":\"GET\",\"url\":\"Observation?subject=Patient/" + B + "\"}}]}";
        Smart.Res r = smart.fhir(tokenA, "POST", "/", bundle);
        assertEquals(200, r.status(), r.body());
        JsonNode entries = r.json().path("entry");
        assertTrue(entries.get(0).path("response").path("status").asText().startsWith("200"), r.body());
        assertTrue(entries.get(1).path("response").path("status").asText().startsWith("404"), r.body());
        assertEquals(0, entries.get(2).path("resource").path("entry").size(), r.body());
    }

    @Test
    void transactionEntriesOneByOne() throws Exception {
        String intoB = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"resource\":{\"resourceType\":\"Observation\"," + obs(A, "laboratory") + "},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}},"
                + "{\"resource\":{\"resourceType\":\"Observation\"," + obs(B, "laboratory") + "},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}";
        Smart.Res refused = smart.fhir(tokenA, "POST", "/", intoB);
        assertEquals(403, refused.status(), refused.body());
        String readB = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"request\":{\"method\":\"GET\",\"url\":\"Observation/b-lab\"}}]}";
        Smart.Res read = smart.fhir(tokenA, "POST", "/", readB);
        assertTrue(read.status() == 404 || read.body().contains("404"), read.status() + " " + read.body());
        String deleteB = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"request\":{\"method\":\"DELETE\",\"url\":\"Observation/b-lab\"}}]}";
        assertEquals(404, smart.fhir(tokenA, "POST", "/", deleteB).status());
        String own = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"resource\":{\"resourceType\":\"Observation\"," + obs(A, "vital-signs") + "},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}";
        Smart.Res ok = smart.fhir(tokenA, "POST", "/", own);
        assertEquals(200, ok.status(), ok.body());
        assertEquals(200, smart.get(system, "/Observation/b-lab").status());
    }

    @Test
    void everythingAndPatch() throws Exception {
        assertEquals(404, smart.get(tokenA, "/Patient/" + B + "/$everything").status());
        Smart.Res all = smart.get(tokenA, "/Patient/" + A + "/$everything");
        assertEquals(200, all.status(), all.body());
        List<String> ids = Smart.ids(all.json(), null);
        assertTrue(ids.contains("Observation/a-lab") && ids.contains("Patient/" + A), ids.toString());
        assertFalse(ids.contains("Observation/b-lab") || ids.contains("Patient/" + B), ids.toString());
        assertEquals(403, smart.get(tokenA, "/Patient/$everything").status());
    }

    @Test
    void writesStayInTheCompartment() throws Exception {
        Smart.Res intoB = smart.fhir(tokenA, "POST", "/Observation", "{\"resourceType\":\"Observation\","
                + obs(B, "laboratory") + "}");
        assertEquals(403, intoB.status(), intoB.body());
        Smart.Res own = smart.fhir(tokenA, "POST", "/Observation", "{\"resourceType\":\"Observation\","
                + obs(A, "laboratory") + "}");
        assertEquals(201, own.status(), own.body());
        Smart.Res move = smart.fhir(tokenA, "PUT", "/Observation/a-social", "{\"resourceType\":\"Observation\","
                + "\"id\":\"a-social\"," + obs(B, "social-history") + "}");
        assertEquals(403, move.status(), "moving A's resource into B's compartment: " + move.body());
        Smart.Res other = smart.fhir(tokenA, "PUT", "/Observation/b-lab", "{\"resourceType\":\"Observation\","
                + "\"id\":\"b-lab\"," + obs(A, "laboratory") + "}");
        assertEquals(404, other.status(), other.body());
        assertEquals(404, smart.fhir(tokenA, "DELETE", "/Observation/b-lab", null).status());
        assertEquals(200, smart.get(system, "/Observation/b-lab").status(), "still there");
        assertEquals(403, smart.fhir(tokenA, "POST", "/Patient", "{\"resourceType\":\"Patient\"}").status(),
                "a new Patient is not in A's compartment");
    }

    static Smart.Res patch(String token, String path, String jsonPatch) throws Exception {
        return smart.fhir(token, "PATCH", path, jsonPatch, "Content-Type", "application/json-patch+json");
    }

    static String setStatus(String status) {
        return "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"" + status + "\"}]";
    }

    static String setSubject(String patient) {
        return "[{\"op\":\"replace\",\"path\":\"/subject/reference\",\"value\":\"Patient/" + patient + "\"}]";
    }

    static String status(String id) throws Exception {
        return smart.get(system, "/Observation/" + id).json().path("status").asText();
    }

    static String subject(String id) throws Exception {
        return smart.get(system, "/Observation/" + id).json().path("subject").path("reference").asText();
    }

    @Test
    void patchStaysInTheCompartment() throws Exception {
        Smart.Res own = patch(tokenA, "/Observation/a-patch", setStatus("amended"));
        assertEquals(200, own.status(), own.body());
        assertEquals("amended", status("a-patch"));
        Smart.Res move = patch(tokenA, "/Observation/a-patch", setSubject(B));
        assertEquals(403, move.status(), "a patch cannot move A's resource into B's compartment: " + move.body());
        assertEquals("Patient/" + A, subject("a-patch"));
        assertEquals(404, patch(tokenA, "/Observation/b-lab", setStatus("amended")).status());
        assertEquals(404, patch(tokenA, "/Observation/b-lab", setSubject(A)).status());
        assertEquals("final", status("b-lab"));
    }

    @Test
    void conditionalWritesSeeOnlyTheCompartment() throws Exception {
        // conditional create: B's Observation with the same identifier is not seen, A's is
        Smart.Res existing = smart.fhir(tokenA, "POST", "/Observation", "{\"resourceType\":\"Observation\","
                + obs(A, "laboratory", "shared") + "}", "If-None-Exist", "identifier=urn:t|shared");
        assertEquals(200, existing.status(), "one match in A's compartment (B's is not seen): " + existing.body());
        assertEquals("a-shared", existing.json().path("id").asText(), existing.body());
        Smart.Res created = smart.fhir(tokenA, "POST", "/Observation", "{\"resourceType\":\"Observation\","
                + obs(A, "laboratory", "b-only") + "}", "If-None-Exist", "identifier=urn:t|b-only");
        assertEquals(201, created.status(), "B's Observation does not count: " + created.body());
        assertEquals(403, smart.fhir(tokenA, "POST", "/Observation", "{\"resourceType\":\"Observation\","
                + obs(B, "laboratory", "new") + "}", "If-None-Exist", "identifier=urn:t|new").status());
        // conditional update: updates A's match only; never B's
        Smart.Res updated = smart.fhir(tokenA, "PUT", "/Observation?identifier=urn:t%7Cshared",
                "{\"resourceType\":\"Observation\"," + obs(A, "vital-signs", "shared") + "}");
        assertEquals(200, updated.status(), updated.body());
        assertEquals("a-shared", updated.json().path("id").asText(), updated.body());
        assertEquals(403, smart.fhir(tokenA, "PUT", "/Observation?identifier=urn:t%7Cshared",
                "{\"resourceType\":\"Observation\"," + obs(B, "vital-signs", "shared") + "}").status(),
                "cannot move the match to B");
        Smart.Res noMatch = smart.fhir(tokenA, "PUT", "/Observation?identifier=urn:t%7Cb-only-2",
                "{\"resourceType\":\"Observation\",\"id\":\"b-only\"," + obs(A, "laboratory", "b-only-2") + "}");
        assertEquals(404, noMatch.status(), "no match, and the body's id is B's resource: " + noMatch.body());
        assertEquals("Patient/" + B, subject("b-only"));
        // conditional patch
        Smart.Res patched = patch(tokenA, "/Observation?identifier=urn:t%7Cshared", setStatus("amended"));
        assertEquals(200, patched.status(), patched.body());
        assertEquals("amended", status("a-shared"));
        assertEquals("final", status("b-shared"));
        assertEquals(404, patch(tokenA, "/Observation?identifier=urn:t%7Cb-ref", setStatus("amended")).status());
        assertEquals(403, patch(tokenA, "/Observation?identifier=urn:t%7Cshared", setSubject(B)).status());
        // conditional delete: B's match is not seen
        Smart.Res none = smart.fhir(tokenA, "DELETE", "/Observation?identifier=urn:t%7Cb-ref", null);
        assertEquals(200, none.status(), none.body());
        assertTrue(none.body().contains("nothing was deleted"), none.body());
        assertEquals(200, smart.get(system, "/Observation/b-ref").status(), "B's Observation is still there");
        // chains in conditional criteria are held to the compartment like searches
        assertEquals(403, smart.fhir(tokenA, "DELETE", "/Medication?_has:MedicationRequest:medication:subject=Patient/"
                + B, null).status());
        assertEquals(403, smart.fhir(tokenA, "POST", "/Medication", "{\"resourceType\":\"Medication\"}",
                "If-None-Exist", "_has:MedicationRequest:medication:subject=Patient/" + B).status());
    }

    @Test
    void transactionConditionalsAndPatches() throws Exception {
        String ok = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"resource\":{\"resourceType\":\"Observation\"," + obs(A, "laboratory", "tx-1") + "},"
                + "\"request\":{\"method\":\"PUT\",\"url\":\"Observation?identifier=urn:t%7Ctx-1\"}},"
                + "{\"resource\":{\"resourceType\":\"Observation\"," + obs(A, "laboratory", "b-only") + "},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Observation\",\"ifNoneExist\":"
                + "\"identifier=urn:t|b-only\"}},"
                + "{\"resource\":{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"operation\",\"part\":["
                + "{\"name\":\"type\",\"valueCode\":\"replace\"},{\"name\":\"path\",\"valueString\":"
                + "\"Observation.status\"},{\"name\":\"value\",\"valueCode\":\"preliminary\"}]}]},"
                + "\"request\":{\"method\":\"PATCH\",\"url\":\"Observation?identifier=urn:t%7Ca-patch\"}},"
                + "{\"request\":{\"method\":\"DELETE\",\"url\":\"Observation?identifier=urn:t%7Cb-shared-none\"}}]}";
        Smart.Res r = smart.fhir(tokenA, "POST", "/", ok);
        assertEquals(200, r.status(), r.body());
        assertEquals("preliminary", status("a-patch"));
        // a patch entry that moves A's resource to B, a conditional update whose match is B's: refused as a whole
        String move = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"resource\":{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"operation\",\"part\":["
                + "{\"name\":\"type\",\"valueCode\":\"replace\"},{\"name\":\"path\",\"valueString\":"
                + "\"Observation.subject\"},{\"name\":\"value\",\"valueReference\":{\"reference\":\"Patient/"
                + B + "\"}}]}]},\"request\":{\"method\":\"PATCH\",\"url\":\"Observation/a-patch\"}}]}";
        assertEquals(403, smart.fhir(tokenA, "POST", "/", move).status());
        assertEquals("Patient/" + A, subject("a-patch"));
        // a conditional reference resolves among A's resources only
        String ref = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"resource\":{\"resourceType\":\"Observation\"," + obs(A, "laboratory")
                + ",\"hasMember\":[{\"reference\":\"Observation?identifier=urn:t|b-ref\"}]},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}";
        Smart.Res refR = smart.fhir(tokenA, "POST", "/", ref);
        assertTrue(refR.status() == 412 && !refR.body().contains("b-ref\""), refR.status() + " " + refR.body());
        // references to other entries count once resolved: a new Encounter of A referenced by urn:uuid
        String uuid = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"fullUrl\":\"urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a\",\"resource\":{\"resourceType\":"
                + "\"Encounter\",\"status\":\"finished\",\"class\":{\"code\":\"AMB\"},\"subject\":"
                + "{\"reference\":\"Patient/" + A + "\"}},\"request\":{\"method\":\"POST\",\"url\":\"Encounter\"}},"
                + "{\"resource\":{\"resourceType\":\"Condition\",\"code\":{\"text\":\"z\"},\"subject\":"
                + "{\"reference\":\"Patient/" + A + "\"},\"encounter\":{\"reference\":"
                + "\"urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a\"}},\"request\":{\"method\":\"POST\","
                + "\"url\":\"Condition\"}}]}";
        Smart.Res uuidR = smart.fhir(tokenA, "POST", "/", uuid);
        assertEquals(200, uuidR.status(), uuidR.body());
    }

    @Test
    void export() throws Exception {
        assertEquals(403, smart.get(tokenA, "/$export", "Prefer", "respond-async").status());
        Smart.Res kick = smart.get(tokenA, "/Patient/$export?patient=" + B, "Prefer", "respond-async");
        assertEquals(404, kick.status(), kick.body());
        kick = smart.get(tokenA, "/Patient/$export?_type=Observation,Patient", "Prefer", "respond-async");
        assertEquals(202, kick.status(), kick.body());
        String status = kick.header("Content-Location");
        Smart.Res poll = null;
        for (int i = 0; i < 200; i++) {
            poll = smart.get(tokenA, status);
            if (poll.status() == 200) {
                break;
            }
            Thread.sleep(50);
        }
        assertEquals(200, poll.status(), poll.body());
        // downloads need the token, and the manifest says so
        assertTrue(poll.json().path("requiresAccessToken").asBoolean(), poll.body());
        StringBuilder all = new StringBuilder();
        for (JsonNode out : poll.json().path("output")) {
            Smart.Res file = smart.get(tokenA, out.path("url").asText());
            assertEquals(200, file.status());
            all.append(file.body());
        }
        assertTrue(all.toString().contains("a-lab"), all.toString());
        assertFalse(all.toString().contains("b-lab"), all.toString());
        assertFalse(all.toString().contains("\"id\":\"" + B + "\""), all.toString());
        // another patient's token (same app) cannot see A's job
        String tokenB = smart.userToken("test-app", "patient2", "patient2-demo", "launch/patient patient/*.rs", null)
                .get("access_token").asText();
        assertTrue(smart.get(tokenB, status).status() >= 400);
        // system export needs system/ scopes
        assertEquals(202, smart.get(system, "/$export?_type=Patient", "Prefer", "respond-async").status());
    }

    // ------------------------------------------------------------------ granular scopes, v1, user, system

    @Test
    void granularObservationCategories() throws Exception {
        String lab = patientToken("patient/Observation.rs?category=" + OBS_CAT + "|laboratory");
        assertEquals(200, smart.get(lab, "/Observation/a-lab").status());
        assertEquals(404, smart.get(lab, "/Observation/a-vital").status());
        assertEquals(404, smart.get(lab, "/Observation/b-lab").status());
        assertEquals(List.of("Observation/a-lab"), search(lab, "/Observation?_id=a-lab,a-vital,a-social,b-lab"));
        assertEquals(403, smart.get(lab, "/Condition/a-problem").status());
        assertEquals(403, smart.get(lab, "/Condition").status());
        Smart.Res forbidden = smart.get(lab, "/Condition");
        assertTrue(forbidden.body().contains("patient/Condition.s"), forbidden.body());

        String vitalsSocial = patientToken("patient/Observation.rs?category=" + OBS_CAT + "|vital-signs"
                + " patient/Observation.rs?category=" + OBS_CAT + "|social-history");
        List<String> found = search(vitalsSocial, "/Observation?_id=a-lab,a-vital,a-social,b-lab");
        assertEquals(List.of("Observation/a-social", "Observation/a-vital"), found.stream().sorted().toList());
        assertEquals(200, smart.get(vitalsSocial, "/Observation/a-social").status());
        assertEquals(404, smart.get(vitalsSocial, "/Observation/a-lab").status());
        // a write outside the granular scope is refused
        String labWrite = patientToken("patient/Observation.cruds?category=" + OBS_CAT + "|laboratory");
        assertEquals(403, smart.fhir(labWrite, "POST", "/Observation", "{\"resourceType\":\"Observation\","
                + obs(A, "vital-signs") + "}").status());
        assertEquals(201, smart.fhir(labWrite, "POST", "/Observation", "{\"resourceType\":\"Observation\","
                + obs(A, "laboratory") + "}").status());
    }

    @Test
    void granularConditionalsAndPatch() throws Exception {
        String lab = patientToken("patient/Observation.cruds?category=" + OBS_CAT + "|laboratory");
        // identifier g: one laboratory, one vital-signs Observation of A; the lab token sees one
        Smart.Res updated = smart.fhir(lab, "PUT", "/Observation?identifier=urn:t%7Cg",
                "{\"resourceType\":\"Observation\"," + obs(A, "laboratory", "g") + "}");
        assertEquals(200, updated.status(), updated.body());
        assertEquals("a-g-lab", updated.json().path("id").asText());
        Smart.Res patched = patch(lab, "/Observation?identifier=urn:t%7Cg", setStatus("amended"));
        assertEquals(200, patched.status(), patched.body());
        assertEquals("amended", status("a-g-lab"));
        assertEquals("final", status("a-g-vital"));
        Smart.Res toVital = patch(lab, "/Observation/a-g-lab", "[{\"op\":\"replace\",\"path\":"
                + "\"/category/0/coding/0/code\",\"value\":\"vital-signs\"}]");
        assertEquals(403, toVital.status(), "the patched resource would leave the granular scope: " + toVital.body());
        assertEquals(404, patch(lab, "/Observation/a-g-vital", setStatus("amended")).status());
        Smart.Res existing = smart.fhir(lab, "POST", "/Observation", "{\"resourceType\":\"Observation\","
                + obs(A, "laboratory", "g") + "}", "If-None-Exist", "identifier=urn:t|g");
        assertEquals(200, existing.status(), existing.body());
        assertEquals("a-g-lab", existing.json().path("id").asText());
        Smart.Res deleted = smart.fhir(lab, "DELETE", "/Observation?identifier=urn:t%7Cg", null);
        assertTrue(deleted.status() == 200 || deleted.status() == 204, deleted.body());
        assertEquals(410, smart.get(system, "/Observation/a-g-lab").status());
        assertEquals(200, smart.get(system, "/Observation/a-g-vital").status(), "outside the scope: not deleted");
    }

    @Test
    void granularWithChainsAndHas() throws Exception {
        String lab = patientToken("patient/Observation.rs?category=" + OBS_CAT + "|laboratory patient/Patient.rs");
        // chains and _has in the search, the granular filter on what comes back
        List<String> chained = search(lab, "/Observation?subject:Patient.family=Demo&_id=a-lab,a-vital,b-lab");
        assertEquals(List.of("Observation/a-lab"), chained);
        assertEquals(List.of("Patient/" + A), search(lab, "/Patient?_has:Observation:subject:category=laboratory"));
        assertEquals(List.of(), search(lab, "/Patient?_has:Observation:subject:_id=b-lab"));
        // a chain in the granular scope itself: A's statements whose medication is aspirin
        String aspirin = patientToken("patient/MedicationStatement.rs?medication:Medication.code=urn:m|aspirin");
        assertEquals(200, smart.get(aspirin, "/MedicationStatement/a-ms1").status());
        assertEquals(404, smart.get(aspirin, "/MedicationStatement/a-ms2").status());
        assertEquals(404, smart.get(aspirin, "/MedicationStatement/b-ms").status());
        assertEquals(List.of("MedicationStatement/a-ms1"), search(aspirin, "/MedicationStatement"));
        assertEquals(List.of("MedicationStatement/a-ms1"),
                search(aspirin, "/MedicationStatement?_id=a-ms1,a-ms2,b-ms&_include=MedicationStatement:medication")
                        .stream().filter(x -> x.startsWith("MedicationStatement")).toList());
        String hasScope = patientToken("patient/Patient.rs?_has:Observation:subject:category=" + OBS_CAT
                + "|laboratory");
        assertEquals(200, smart.get(hasScope, "/Patient/" + A).status());
        assertEquals(404, smart.get(hasScope, "/Patient/" + B).status());
    }

    @Test
    void granularConditionCategories() throws Exception {
        String problems = patientToken("patient/Condition.rs?category=" + COND_CAT + "|problem-list-item");
        assertEquals(200, smart.get(problems, "/Condition/a-problem").status());
        assertEquals(404, smart.get(problems, "/Condition/a-dx").status());
        assertEquals(404, smart.get(problems, "/Condition/b-problem").status());
        assertEquals(List.of("Condition/a-problem"), search(problems, "/Condition"));
        String dx = patientToken("patient/Condition.rs?category=" + COND_CAT + "|encounter-diagnosis");
        assertEquals(List.of("Condition/a-dx"), search(dx, "/Condition"));
    }

    @Test
    void v1AndV2Permissions() throws Exception {
        String v1 = patientToken("patient/Observation.read");
        assertEquals(200, smart.get(v1, "/Observation/a-lab").status());
        assertEquals(404, smart.get(v1, "/Observation/b-lab").status());
        assertEquals(403, smart.fhir(v1, "POST", "/Observation", "{\"resourceType\":\"Observation\","
                + obs(A, "laboratory") + "}").status());
        String v1all = patientToken("patient/Observation.*");
        assertEquals(201, smart.fhir(v1all, "POST", "/Observation", "{\"resourceType\":\"Observation\","
                + obs(A, "laboratory") + "}").status());
        String readOnly = patientToken("patient/Observation.r");
        assertEquals(200, smart.get(readOnly, "/Observation/a-lab").status());
        Smart.Res noSearch = smart.get(readOnly, "/Observation");
        assertEquals(403, noSearch.status());
        assertTrue(noSearch.body().contains("patient/Observation.s"), noSearch.body());
        String searchOnly = patientToken("patient/Observation.s");
        assertEquals(200, smart.get(searchOnly, "/Observation").status());
        assertEquals(403, smart.get(searchOnly, "/Observation/a-lab").status());
    }

    @Test
    void userScopes() throws Exception {
        String dr = smart.userToken("test-app", "practitioner", "practitioner-demo", "openid fhirUser user/*.rs", null)
                .get("access_token").asText();
        assertEquals(200, smart.get(dr, "/Observation/b-lab").status());
        assertEquals(200, smart.get(dr, "/Observation/a-lab").status());
        assertTrue(search(dr, "/Observation").contains("Observation/b-lab"));
        assertEquals(403, smart.fhir(dr, "POST", "/Observation", "{\"resourceType\":\"Observation\","
                + obs(A, "laboratory") + "}").status());
        assertEquals(403, smart.get(dr, "/AuditEvent").status(), "wildcards do not reach AuditEvent");
        // a patient user with user/ scopes stays in their own compartment under the default policy
        String patientUser = smart.userToken("test-app", "patient1", "patient1-demo", "user/Observation.rs", null)
                .get("access_token").asText();
        assertEquals(200, smart.get(patientUser, "/Observation/a-lab").status());
        assertEquals(404, smart.get(patientUser, "/Observation/b-lab").status());
    }

    @Test
    void systemScopes() throws Exception {
        KeyPair key = smart.registerBackend("obs-reader", "system/Observation.rs");
        String t = smart.backendToken("obs-reader", key, "system/Observation.rs");
        assertEquals(200, smart.get(t, "/Observation/b-lab").status());
        assertEquals(403, smart.get(t, "/Patient/" + A).status());
        assertEquals(403, smart.fhir(t, "DELETE", "/Observation/b-lab", null).status());
    }

    // ------------------------------------------------------------------ 401s, CORS, metadata, audit

    @Test
    void unauthorized() throws Exception {
        Smart.Res none = smart.get(null, "/Observation/a-lab");
        assertEquals(401, none.status());
        assertTrue(none.header("WWW-Authenticate").startsWith("Bearer realm="), none.header("WWW-Authenticate"));
        assertTrue(none.header("WWW-Authenticate").contains("error=\"invalid_token\""));
        assertEquals("OperationOutcome", none.json().path("resourceType").asText());
        assertEquals(401, smart.get("not-a-token", "/Observation/a-lab").status());
        // wrong audience: the token names http://localhost:port, this request's base is http://127.0.0.1:port
        Smart.Res other = smart.get(tokenA, "http://127.0.0.1:" + server.port() + "/Observation/a-lab");
        assertEquals(401, other.status());
        // revoked
        String t = patientToken("patient/Observation.rs");
        assertEquals(200, smart.get(t, "/Observation/a-lab").status());
        Smart.Res rev = smart.form(java.net.http.HttpClient.newHttpClient(), "/auth/revoke",
                Map.of("token", t, "client_id", "test-app"));
        assertEquals(200, rev.status(), rev.body());
        assertEquals(401, smart.get(t, "/Observation/a-lab").status());
        // public documents
        Smart.Res meta = smart.get(null, "/metadata");
        assertEquals(200, meta.status());
        assertTrue(meta.body().contains("oauth-uris") && meta.body().contains("SMART-on-FHIR"), meta.body());
        assertEquals(200, smart.get(null, "/.well-known/smart-configuration").status());
    }

    @Test
    void aCascadingDeleteNeedsAScopeThatMayDeleteEverything() throws Exception {
        Smart.Res refused = smart.fhir(tokenA, "DELETE", "/Patient/demo-patient-1?_cascade=delete", null);
        assertEquals(403, refused.status(), refused.body());
        assertTrue(refused.body().contains("_cascade"), refused.body());
        assertEquals(200, smart.get(system, "/Patient/demo-patient-1").status());
    }

    @Test
    void cors() throws Exception {
        Smart.Res pre = smart.fhir(null, "OPTIONS", "/Observation/a-lab", null, "Origin", "http://app.example",
                "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization");
        assertEquals(204, pre.status());
        assertEquals("http://app.example", pre.header("Access-Control-Allow-Origin"));
        assertTrue(pre.header("Access-Control-Allow-Headers").contains("Authorization"));
        Smart.Res evil = smart.fhir(null, "OPTIONS", "/Observation/a-lab", null, "Origin", "http://evil.example",
                "Access-Control-Request-Method", "GET");
        assertNull(evil.header("Access-Control-Allow-Origin"));
        Smart.Res actual = smart.get(tokenA, "/Observation/a-lab", "Origin", "http://app.example");
        assertEquals("http://app.example", actual.header("Access-Control-Allow-Origin"));
        assertTrue(actual.header("Access-Control-Expose-Headers").contains("ETag"));
        assertTrue(actual.header("Access-Control-Expose-Headers").contains("Location"));
        Smart.Res meta = smart.get(null, "/metadata", "Origin", "http://anyone.example");
        assertEquals("*", meta.header("Access-Control-Allow-Origin"));
    }

    @Test
    void auditTrail() throws Exception {
        assertEquals(404, smart.get(tokenA, "/Observation/b-lab").status());
        assertEquals(401, smart.get(null, "/Observation/b-lab").status());
        assertTrue(server.audit().flush(10_000));
        Smart.Res r = smart.get(auditor, "/AuditEvent?entity=Observation/b-lab&_count=100");
        assertEquals(200, r.status(), r.body());
        String body = r.body();
        assertTrue(body.contains("\"404"), body);
        assertTrue(body.contains("patient1") && body.contains("test-app"), body);
        assertTrue(body.contains("401 no valid access token"), body);
        Smart.Res logins = smart.get(auditor, "/AuditEvent?subtype=login&_count=5");
        assertEquals(200, logins.status(), logins.body());
        assertTrue(logins.json().path("entry").size() > 0, logins.body());
        Smart.Res tokens = smart.get(auditor, "/AuditEvent?subtype=token-issued&_count=5");
        assertTrue(tokens.json().path("entry").size() > 0, tokens.body());
        assertEquals(403, smart.get(tokenA, "/AuditEvent").status(), "patients do not see the audit trail");
        String patientAudit = patientToken("patient/AuditEvent.rs");
        assertEquals(403, smart.get(patientAudit, "/AuditEvent").status(), "nor with a scope naming AuditEvent");
        String first = r.json().path("entry").get(0).path("resource").path("id").asText();
        assertEquals(403, smart.get(patientAudit, "/AuditEvent/" + first).status());
        Smart.Res one = smart.get(auditor, "/AuditEvent/" + first);
        assertEquals(200, one.status(), one.body());
        assertNotNull(server.audit());
    }

    @Test
    void terminologyOperationsNeedAReadScopeOnTheirType() throws Exception {
        KeyPair key = smart.registerBackend("terminology-reader", "system/ValueSet.rs system/Patient.rs");
        String valueSets = smart.backendToken("terminology-reader", key, "system/ValueSet.rs");
        String patients = smart.backendToken("terminology-reader", key, "system/Patient.rs");
        String expand = "/ValueSet/$expand?url=" + Smart.enc("http://hl7.org/fhir/ValueSet/administrative-gender");
        Smart.Res ok = smart.get(valueSets, expand);
        assertEquals(200, ok.status(), ok.body());
        assertTrue(ok.body().contains("female"), ok.body());
        Smart.Res forbidden = smart.get(patients, expand);
        assertEquals(403, forbidden.status(), forbidden.body());
        Smart.Res lookup = smart.get(valueSets, "/CodeSystem/$lookup?system="
                + Smart.enc("http://hl7.org/fhir/administrative-gender") + "&code=male");
        assertEquals(403, lookup.status(), lookup.body());
    }
}
