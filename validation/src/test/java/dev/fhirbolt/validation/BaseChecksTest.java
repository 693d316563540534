package dev.fhirbolt.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
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
        p.addGeneralPractitioner().setReference("#o");
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

    @Test
    void observationWithValueAndDataAbsentReasonBreaksObs6() {
        Observation o = new Observation().setStatus(Observation.ObservationStatus.FINAL);
        o.getCode().setText("weight");
        o.setValue(new Quantity(70));
        o.getDataAbsentReason().setText("asked but declined");
        ValidationIssue issue = only(checks.check(o));
        assertEquals("invariant", issue.code());
        assertEquals("Observation", issue.expression().orElseThrow());
        assertTrue(issue.message().contains("obs-6") && issue.message().contains("dataAbsentReason.empty()"),
                issue.message());
    }

    @Test
    void componentRepeatingTheObservationCodeBreaksObs7() {
        Observation o = new Observation().setStatus(Observation.ObservationStatus.FINAL);
        o.getCode().addCoding().setSystem("http://loinc.org").setCode("85354-9");
        o.setValue(new Quantity(1));
        o.addComponent().getCode().addCoding().setSystem("http://loinc.org").setCode("85354-9");
        assertTrue(only(checks.check(o)).message().contains("obs-7"));
    }

    @Test
    void patientContactWithoutDetailsBreaksPat1() {
        Patient p = new Patient();
        p.addContact().addRelationship().setText("mother");
        p.addContact().setName(new HumanName().setFamily("Smith"));
        ValidationIssue issue = only(checks.check(p));
        assertEquals("Patient.contact[0]", issue.expression().orElseThrow());
        assertTrue(issue.message().contains("pat-1"), issue.message());
    }

    @Test
    void containedResourceNobodyRefersToBreaksDom3AndNestedContainedBreaksDom2() {
        Patient p = new Patient();
        Organization org = new Organization();
        org.setId("org");
        org.setName("clinic");
        p.addContained(org);
        assertTrue(only(checks.check(p)).message().contains("dom-3"));
        p.setManagingOrganization(new Reference("#org"));
        assertTrue(checks.check(p).issues().isEmpty(), checks.check(p).toString());
        Organization inner = new Organization();
        inner.setId("inner");
        org.addContained(inner);
        assertTrue(checks.check(p).issues().stream().anyMatch(i -> i.message().contains("dom-2")),
                checks.check(p).toString());
    }

    @Test
    void dataTypeInvariantsInsideResources() {
        Encounter e = new Encounter().setStatus(Encounter.EncounterStatus.FINISHED);
        e.getClass_().setSystem("http://terminology.hl7.org/CodeSystem/v3-ActCode").setCode("AMB");
        e.getPeriod().setStartElement(new DateTimeType("2024-02-01")).setEndElement(new DateTimeType("2024-01-01"));
        e.getSubject().setReference("#nobody");
        ValidationReport report = checks.check(e);
        assertEquals(2, report.issues().size(), report.toString());
        assertTrue(report.issues().get(0).message().contains("ref-1"), report.toString());
        assertEquals("Encounter.subject", report.issues().get(0).expression().orElseThrow());
        assertTrue(report.issues().get(1).message().contains("per-1"), report.toString());
        assertEquals("Encounter.period", report.issues().get(1).expression().orElseThrow());
    }

    private static ValidationIssue only(ValidationReport report) {
        assertEquals(1, report.issues().size(), report.toString());
        assertTrue(report.rejects());
        return report.issues().get(0);
    }
}
