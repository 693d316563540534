package dev.fhirbolt.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.Test;

class BaseChecksTest {

    private final BaseChecks checks = BaseChecks.core();

    @Test
    void observationWithoutStatusNamesObservationStatus() {
        Observation o = new Observation();
        o.getCode().setText("weight");
        ValidationReport report = checks.check(o);
        assertEquals(1, report.issues().size(), report.toString());
        ValidationIssue issue = report.issues().get(0);
        assertEquals("Observation.status", issue.expression().orElseThrow());
        assertEquals("required", issue.code());
        assertTrue(report.rejects());
    }

    @Test
    void completeObservationPasses() {
        Observation o = new Observation().setStatus(Observation.ObservationStatus.FINAL);
        o.getCode().setText("weight");
        o.setValue(new Quantity(70));
        o.addComponent().setCode(new CodeableConcept().setText("part")).setValue(new Quantity(1));
        assertTrue(checks.check(o).issues().isEmpty());
    }

    @Test
    void backboneAndDatatypeChecksCarryTheirPath() {
        Observation o = new Observation().setStatus(Observation.ObservationStatus.FINAL);
        o.getCode().setText("bp");
        o.addComponent().setValue(new Quantity(120));
        o.addComponent().setValue(new Quantity(80));
        o.setText(new Narrative());
        o.getText().setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div>");
        ValidationReport report = checks.check(o);
        assertEquals(3, report.issues().size(), report.toString());
        assertEquals("Observation.component[0].code", report.issues().get(1).expression().orElseThrow());
        assertEquals("Observation.text.status", report.issues().get(0).expression().orElseThrow());
    }

    @Test
    void containedResourcesAreChecked() {
        Patient p = new Patient();
        Observation contained = new Observation();
        contained.setId("o");
        contained.getCode().setText("x");
        p.addContained(contained);
        ValidationReport report = checks.check(p);
        assertEquals("Patient.contained.status", report.issues().get(0).expression().orElseThrow());
    }

    @Test
    void requiredBindingOnCodeableConcept() {
        Condition c = new Condition();
        c.getSubject().setReference("Patient/1");
        c.getClinicalStatus().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/condition-clinical")
                .setCode("active");
        assertTrue(checks.check(c).issues().isEmpty(), checks.check(c).toString());
        c.getClinicalStatus().getCodingFirstRep().setCode("sleepy");
        ValidationReport report = checks.check(c);
        assertEquals("code-invalid", report.issues().get(0).code(), report.toString());
        assertEquals("Condition.clinicalStatus", report.issues().get(0).expression().orElseThrow());
    }
}
