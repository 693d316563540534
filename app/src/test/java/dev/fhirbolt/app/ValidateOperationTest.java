package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.fhir.Fhir;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code $validate} over HTTP against the real server. */
class ValidateOperationTest {

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static OperationOutcome outcome(HttpResponse<String> response) {
        return (OperationOutcome) Fhir.context().newJsonParser().parseResource(response.body());
    }

    @Test
    void missingStatusIsReportedWithExpressionAndLine() throws Exception {
        String body = "{\n  \"resourceType\": \"Observation\",\n  \"code\": {\"text\": \"x\"}\n}";
        HttpResponse<String> r = server.send("POST", "/Observation/$validate", body);
        assertEquals(200, r.statusCode(), r.body());
        OperationOutcome oo = outcome(r);
        var issue = oo.getIssue().stream().filter(i -> i.getDiagnostics().contains("status")).findFirst()
                .orElseThrow(() -> new AssertionError(r.body()));
        assertEquals(OperationOutcome.IssueSeverity.ERROR, issue.getSeverity());
        assertEquals("Observation", issue.getExpression().get(0).getValue());
        assertTrue(issue.hasExtension("http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-line"),
                r.body());
    }

    @Test
    void validResourceAnswersNoIssues() throws Exception {
        String body = "{\"resourceType\":\"Patient\",\"gender\":\"female\",\"birthDate\":\"1980-01-02\"}";
        HttpResponse<String> r = server.send("POST", "/Patient/$validate", body);
        assertEquals(200, r.statusCode(), r.body());
        OperationOutcome oo = outcome(r);
        assertTrue(oo.getIssue().stream().noneMatch(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR),
                r.body());
        assertTrue(r.body().contains("no issues") || oo.getIssue().stream()
                .allMatch(i -> i.getSeverity() != OperationOutcome.IssueSeverity.ERROR), r.body());
    }

    @Test
    void unknownElementIsAnIssueNotA400() throws Exception {
        String body = "{\"resourceType\":\"Patient\",\"colour\":\"blue\"}";
        HttpResponse<String> r = server.send("POST", "/Patient/$validate", body);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(outcome(r).getIssue().stream().anyMatch(i -> i.getSeverity().ordinal()
                <= OperationOutcome.IssueSeverity.ERROR.ordinal()), r.body());
    }

    @Test
    void parametersWrapperWithModeAndProfile() throws Exception {
        String body = "{\"resourceType\":\"Parameters\",\"parameter\":["
                + "{\"name\":\"resource\",\"resource\":{\"resourceType\":\"Observation\",\"code\":{\"text\":\"x\"}}},"
                + "{\"name\":\"mode\",\"valueCode\":\"create\"}]}";
        HttpResponse<String> r = server.send("POST", "/Observation/$validate", body);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("status"), r.body());

        String withProfile = "{\"resourceType\":\"Parameters\",\"parameter\":["
                + "{\"name\":\"resource\",\"resource\":{\"resourceType\":\"Patient\"}},"
                + "{\"name\":\"profile\",\"valueUri\":\"http://example.org/StructureDefinition/none\"}]}";
        HttpResponse<String> p = server.send("POST", "/Patient/$validate", withProfile);
        assertEquals(200, p.statusCode(), p.body());
        assertTrue(p.body().contains("http://example.org/StructureDefinition/none"), p.body());
    }

    @Test
    void storedProfileIsEnforced() throws Exception {
        String profile = "{\"resourceType\":\"StructureDefinition\",\"url\":\"http://example.org/fhir/"
                + "StructureDefinition/named-patient\",\"name\":\"NamedPatient\",\"status\":\"active\","
                + "\"fhirVersion\":\"4.0.1\",\"kind\":\"resource\",\"abstract\":false,\"type\":\"Patient\","
                + "\"baseDefinition\":\"http://hl7.org/fhir/StructureDefinition/Patient\",\"derivation\":"
                + "\"constraint\",\"differential\":{\"element\":[{\"id\":\"Patient.name\",\"path\":\"Patient.name\","
                + "\"min\":1}]}}";
        assertEquals(201, server.send("POST", "/StructureDefinition", profile).statusCode());
        HttpResponse<String> r = server.send("POST", "/Patient/$validate?profile=http://example.org/fhir/"
                + "StructureDefinition/named-patient", "{\"resourceType\":\"Patient\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(outcome(r).getIssue().stream().anyMatch(i -> i.getSeverity()
                == OperationOutcome.IssueSeverity.ERROR && i.getDiagnostics().contains("Patient.name")), r.body());
    }

    @Test
    void requiredBindingOfAStoredProfileToAStoredValueSetIsChecked() throws Exception {
        assertEquals(201, server.send("POST", "/CodeSystem", "{\"resourceType\":\"CodeSystem\",\"url\":"
                + "\"http://example.org/fhir/CodeSystem/colours\",\"status\":\"active\",\"content\":\"complete\","
                + "\"concept\":[{\"code\":\"red\",\"display\":\"Red\"},{\"code\":\"blue\"}]}").statusCode());
        assertEquals(201, server.send("POST", "/ValueSet", "{\"resourceType\":\"ValueSet\",\"url\":"
                + "\"http://example.org/fhir/ValueSet/colours\",\"status\":\"active\",\"compose\":{\"include\":"
                + "[{\"system\":\"http://example.org/fhir/CodeSystem/colours\"}]}}").statusCode());
        String profile = "{\"resourceType\":\"StructureDefinition\",\"url\":\"http://example.org/fhir/"
                + "StructureDefinition/coloured-patient\",\"name\":\"ColouredPatient\",\"status\":\"active\","
                + "\"fhirVersion\":\"4.0.1\",\"kind\":\"resource\",\"abstract\":false,\"type\":\"Patient\","
                + "\"baseDefinition\":\"http://hl7.org/fhir/StructureDefinition/Patient\",\"derivation\":"
                + "\"constraint\",\"differential\":{\"element\":[{\"id\":\"Patient.maritalStatus\","
                + "\"path\":\"Patient.maritalStatus\",\"binding\":{\"strength\":\"required\",\"valueSet\":"
                + "\"http://example.org/fhir/ValueSet/colours\"}}]}}";
        assertEquals(201, server.send("POST", "/StructureDefinition", profile).statusCode());
        String url = "/Patient/$validate?profile=http://example.org/fhir/StructureDefinition/coloured-patient";
        HttpResponse<String> wrong = server.send("POST", url, "{\"resourceType\":\"Patient\",\"maritalStatus\":"
                + "{\"coding\":[{\"system\":\"http://example.org/fhir/CodeSystem/colours\",\"code\":\"green\"}]}}");
        assertEquals(200, wrong.statusCode(), wrong.body());
        assertTrue(outcome(wrong).getIssue().stream().anyMatch(i -> i.getSeverity()
                == OperationOutcome.IssueSeverity.ERROR && i.getDiagnostics().contains("green")), wrong.body());
        HttpResponse<String> right = server.send("POST", url, "{\"resourceType\":\"Patient\",\"maritalStatus\":"
                + "{\"coding\":[{\"system\":\"http://example.org/fhir/CodeSystem/colours\",\"code\":\"red\"}]}}");
        assertEquals(200, right.statusCode(), right.body());
        assertTrue(outcome(right).getIssue().stream().noneMatch(i -> i.getSeverity()
                == OperationOutcome.IssueSeverity.ERROR), right.body());
    }

    @Test
    void modesUpdateAndDelete() throws Exception {
        Patient patient = new Patient();
        patient.setId("p1");
        String json = Fhir.context().newJsonParser().encodeResourceToString(patient);
        assertEquals(201, server.send("PUT", "/Patient/p1", json).statusCode());
        HttpResponse<String> wrongId = server.send("POST", "/Patient/p2/$validate?mode=update", json);
        assertEquals(200, wrongId.statusCode());
        assertTrue(wrongId.body().contains("must be p2"), wrongId.body());
        HttpResponse<String> delete = server.send("POST", "/Patient/p1/$validate?mode=delete", null);
        assertEquals(200, delete.statusCode(), delete.body());
        assertEquals(404, server.send("POST", "/Patient/nope/$validate?mode=delete", null).statusCode());
        assertEquals(400, server.send("POST", "/Patient/$validate?mode=sideways", json).statusCode());
    }

    @Test
    void listedInTheCapabilityStatement() throws Exception {
        HttpResponse<String> r = server.get("/metadata");
        assertTrue(r.body().contains("Resource-validate"), r.body().substring(0, Math.min(500, r.body().length())));
    }
}
