package dev.fhirbolt.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.fhir.FhirFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class HapiValidatorTest {

    private static final HapiValidator VALIDATOR = new HapiValidator(ConformanceSource.NONE);

    @Test
    void missingStatusIsAnErrorWithItsLocation() {
        String json = "{\n  \"resourceType\": \"Observation\",\n  \"code\": {\"text\": \"x\"}\n}";
        ValidationReport report = VALIDATOR.validate(json, FhirFormat.JSON, List.of());
        assertTrue(report.rejects(), report.toString());
        ValidationIssue issue = report.issues().stream().filter(i -> i.message().contains("status")).findFirst()
                .orElseThrow(() -> new AssertionError(report.toString()));
        assertEquals(Severity.ERROR, issue.severity());
        assertEquals("structure", issue.code());
        assertEquals("Observation", issue.expression().orElseThrow());
        assertTrue(issue.line() > 0, issue.toString());
    }

    @Test
    void validPatientHasNoErrorsAndTheValidatorIsReused() {
        String json = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Chalmers\",\"given\":[\"Peter\"]}],"
                + "\"gender\":\"male\",\"birthDate\":\"1974-12-25\"}";
        for (int i = 0; i < 5; i++) {
            ValidationReport report = VALIDATOR.validate(json, FhirFormat.JSON, List.of());
            assertFalse(report.rejects(), report.toString());
        }
    }

    @Test
    void badCodeInAModelIsFound() {
        var observation = new org.hl7.fhir.r4.model.Observation();
        observation.getCode().setText("x");
        ValidationReport report = VALIDATOR.validate(observation, List.of());
        assertTrue(report.rejects(), report.toString());
        assertTrue(report.issues().stream().allMatch(i -> i.line() == 0));
    }

    @Test
    void unknownProfileIsAnError() {
        String json = "{\"resourceType\":\"Patient\"}";
        ValidationReport report = VALIDATOR.validate(json, FhirFormat.JSON, List.of("http://example.org/nope"));
        assertTrue(report.rejects(), report.toString());
    }
}
