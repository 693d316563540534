package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PatchTest {

    static final String JSON_PATCH = "application/json-patch+json";
    static final String FHIR_JSON = "application/fhir+json";

    @TempDir
    static Path dir;
    static TxServer server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        server = TxServer.start(dir.resolve("data"));
        http = new Http(server.baseUrl);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static void create(String id) {
        Patient p = new Patient();
        p.setId(id);
        p.addIdentifier().setSystem("http://example.org/ids").setValue(id);
        p.addName().setFamily("Smith").addGiven("Ann");
        p.setBirthDate(java.sql.Date.valueOf("1980-01-02"));
        p.addTelecom().setSystem(org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem.PHONE).setValue("1");
        assertTrue(http.put("Patient/" + id, p).status() / 100 == 2);
    }

    static Patient read(String id) {
        return http.get("Patient/" + id).as(Patient.class);
    }

    static String diagnostics(Http.Response r) {
        return r.as(OperationOutcome.class).getIssueFirstRep().getDiagnostics();
    }

    @Test
    void jsonPatchAllSixOperations() {
        create("jp");
        String patch = """
                [
                 {"op":"test","path":"/birthDate","value":"1980-01-02"},
                 {"op":"add","path":"/name/0/given/-","value":"Beth"},
                 {"op":"add","path":"/gender","value":"female"},
                 {"op":"replace","path":"/name/0/family","value":"Jones"},
                 {"op":"copy","from":"/name/0","path":"/name/1"},
                 {"op":"move","from":"/name/1/given/1","path":"/name/1/text"},
                 {"op":"remove","path":"/telecom"}
                ]""";
        Http.Response r = http.patch("Patient/jp", patch, JSON_PATCH);
        assertEquals(200, r.status(), r.body());
        assertEquals("W/\"2\"", r.header("ETag"));
        Patient p = read("jp");
        assertEquals("2", p.getMeta().getVersionId());
        assertEquals(AdministrativeGender.FEMALE, p.getGender());
        assertEquals("Jones", p.getName().get(0).getFamily());
        assertEquals(List.of("Ann", "Beth"), p.getName().get(0).getGiven().stream().map(StringType::getValue)
                .toList());
        assertEquals("Beth", p.getName().get(1).getText());
        assertEquals(1, p.getName().get(1).getGiven().size());
        assertFalse(p.hasTelecom());
    }

    @Test
    void jsonPatchFailuresChangeNothing() {
        create("jpf");
        // failed test
        Http.Response test = http.patch("Patient/jpf", "[{\"op\":\"test\",\"path\":\"/birthDate\",\"value\":\"1999\"},"
                + "{\"op\":\"remove\",\"path\":\"/name\"}]", JSON_PATCH);
        assertEquals(422, test.status());
        assertTrue(diagnostics(test).contains("test failed"), diagnostics(test));
        // result not a valid Patient
        Http.Response badDate = http.patch("Patient/jpf",
                "[{\"op\":\"replace\",\"path\":\"/birthDate\",\"value\":\"not-a-date\"}]", JSON_PATCH);
        assertEquals(422, badDate.status());
        Http.Response unknown = http.patch("Patient/jpf",
                "[{\"op\":\"add\",\"path\":\"/colour\",\"value\":\"blue\"}]", JSON_PATCH);
        assertEquals(422, unknown.status());
        Http.Response id = http.patch("Patient/jpf", "[{\"op\":\"replace\",\"path\":\"/id\",\"value\":\"other\"}]",
                JSON_PATCH);
        assertEquals(422, id.status());
        assertTrue(diagnostics(id).contains("cannot change or remove the resource id"), diagnostics(id));
        // missing path, malformed documents
        assertEquals(422, http.patch("Patient/jpf", "[{\"op\":\"remove\",\"path\":\"/deceasedBoolean\"}]",
                JSON_PATCH).status());
        assertEquals(400, http.patch("Patient/jpf", "{\"op\":\"remove\"}", JSON_PATCH).status());
        assertEquals(400, http.patch("Patient/jpf", "[{\"op\":\"frobnicate\",\"path\":\"/a\"}]", JSON_PATCH)
                .status());
        assertEquals(400, http.patch("Patient/jpf", "[{\"op\":\"add\",\"path\":\"/a\"}]", JSON_PATCH).status());
        // stale If-Match
        assertEquals(412, http.patch("Patient/jpf", "[{\"op\":\"add\",\"path\":\"/active\",\"value\":true}]",
                JSON_PATCH, "If-Match", "W/\"9\"").status());
        assertEquals(200, http.patch("Patient/jpf", "[{\"op\":\"add\",\"path\":\"/active\",\"value\":true}]",
                JSON_PATCH, "If-Match", "W/\"1\"").status());
        Patient p = read("jpf");
        assertEquals("2", p.getMeta().getVersionId());
        assertEquals("Smith", p.getNameFirstRep().getFamily());
        // unknown resource
        assertEquals(404, http.patch("Patient/nobody", "[]", JSON_PATCH).status());
        assertEquals(415, http.patch("Patient/jpf", "[]", "text/plain").status());
    }

    static ParametersParameterComponent op(Parameters p, String type, String path) {
        ParametersParameterComponent op = p.addParameter().setName("operation");
        op.addPart().setName("type").setValue(new CodeType(type));
        op.addPart().setName("path").setValue(new StringType(path));
        return op;
    }

    static void part(ParametersParameterComponent op, String name, Type value) {
        op.addPart().setName(name).setValue(value);
    }

    @Test
    void fhirPathPatchOperations() {
        create("fp");
        Parameters p = new Parameters();
        var add = op(p, "add", "Patient");
        part(add, "name", new StringType("identifier"));
        var value = add.addPart().setName("value");
        value.addPart().setName("system").setValue(new StringType("http://example.org/other"));
        value.addPart().setName("value").setValue(new StringType("X-1"));
        var insert = op(p, "insert", "Patient.name");
        part(insert, "index", new IntegerType(0));
        part(insert, "value", new org.hl7.fhir.r4.model.HumanName().setFamily("First"));
        part(op(p, "replace", "Patient.birthDate"), "value", new DateType("1990-05-06"));
        op(p, "delete", "Patient.telecom");
        var move = op(p, "move", "Patient.name");
        part(move, "source", new IntegerType(1));
        part(move, "destination", new IntegerType(0));
        Http.Response r = http.patch("Patient/fp", Http.json(p), FHIR_JSON);
        assertEquals(200, r.status(), r.body());
        Patient patched = read("fp");
        assertEquals(2, patched.getIdentifier().size());
        assertEquals("X-1", patched.getIdentifier().get(1).getValue());
        assertEquals("Smith", patched.getName().get(0).getFamily());
        assertEquals("First", patched.getName().get(1).getFamily());
        assertEquals("1990-05-06", patched.getBirthDateElement().getValueAsString());
        assertFalse(patched.hasTelecom());

        // failures: invalid path, wrong cardinality, invalid value
        Parameters badPath = new Parameters();
        op(badPath, "delete", "Patient.name.where(");
        assertEquals(400, http.patch("Patient/fp", Http.json(badPath), FHIR_JSON).status());
        Parameters many = new Parameters();
        part(op(many, "replace", "Patient.name"), "value", new org.hl7.fhir.r4.model.HumanName().setFamily("X"));
        assertEquals(422, http.patch("Patient/fp", Http.json(many), FHIR_JSON).status());
        Parameters badCode = new Parameters();
        var gender = op(badCode, "add", "Patient");
        part(gender, "name", new StringType("gender"));
        part(gender, "value", new CodeType("banana"));
        Http.Response bad = http.patch("Patient/fp", Http.json(badCode), FHIR_JSON);
        assertEquals(422, bad.status(), bad.body());
        Parameters notAnOp = new Parameters();
        notAnOp.addParameter().setName("nonsense");
        assertEquals(400, http.patch("Patient/fp", Http.json(notAnOp), FHIR_JSON).status());
        assertEquals("2", read("fp").getMeta().getVersionId());
    }

    @Test
    void conditionalPatchAndCapabilities() {
        create("cp");
        Http.Response r = http.patch("Patient?identifier=http://example.org/ids%7Ccp",
                "[{\"op\":\"add\",\"path\":\"/active\",\"value\":false}]", JSON_PATCH);
        assertEquals(200, r.status(), r.body());
        assertFalse(read("cp").getActive());
        assertEquals(404, http.patch("Patient?identifier=http://example.org/ids%7Cnone",
                "[{\"op\":\"add\",\"path\":\"/active\",\"value\":false}]", JSON_PATCH).status());
        CapabilityStatement cs = http.get("metadata").as(CapabilityStatement.class);
        assertTrue(cs.hasPatchFormat(JSON_PATCH));
        assertTrue(cs.getRestFirstRep().getResource().stream().filter(res -> res.getType().equals("Patient"))
                .findFirst().orElseThrow().getInteraction().stream()
                .anyMatch(i -> i.getCode() == CapabilityStatement.TypeRestfulInteraction.PATCH));
    }

    @Test
    void patchesInsideATransactionAreAllOrNothing() {
        create("tp1");
        create("tp2");
        Binary jsonPatch = new Binary();
        jsonPatch.setContentType(JSON_PATCH);
        jsonPatch.setData("[{\"op\":\"replace\",\"path\":\"/name/0/family\",\"value\":\"Patched\"}]".getBytes());
        Parameters fhirPath = new Parameters();
        part(op(fhirPath, "replace", "Patient.name.family"), "value", new StringType("AlsoPatched"));
        Bundle ok = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        ok.addEntry().setResource(jsonPatch).getRequest().setMethod(HTTPVerb.PATCH).setUrl("Patient/tp1");
        ok.addEntry().setResource(fhirPath).getRequest().setMethod(HTTPVerb.PATCH).setUrl("Patient/tp2");
        Http.Response r = http.post("", ok);
        assertEquals(200, r.status(), r.body());
        assertEquals("Patched", read("tp1").getNameFirstRep().getFamily());
        assertEquals("AlsoPatched", read("tp2").getNameFirstRep().getFamily());

        Binary broken = new Binary();
        broken.setContentType(JSON_PATCH);
        broken.setData("[{\"op\":\"test\",\"path\":\"/active\",\"value\":true}]".getBytes());
        Bundle bad = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bad.addEntry().setResource(jsonPatch).getRequest().setMethod(HTTPVerb.PATCH).setUrl("Patient/tp2");
        bad.addEntry().setResource(broken).getRequest().setMethod(HTTPVerb.PATCH).setUrl("Patient/tp1");
        Http.Response failed = http.post("", bad);
        assertEquals(422, failed.status());
        assertTrue(diagnostics(failed).contains("entry 1"), diagnostics(failed));
        assertEquals("AlsoPatched", read("tp2").getNameFirstRep().getFamily());
        assertEquals("2", read("tp2").getMeta().getVersionId());
    }
}
