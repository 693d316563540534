package dev.fhirbolt.search.param;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/** The type functions of search parameter paths, answered from the core type outlines the FhirContext carries. */
class FhirPathsTest {

    private static List<Base> eval(IBase input, String expression) {
        return FhirPaths.evaluate(input, FhirPaths.parse(expression));
    }

    private static boolean truth(IBase input, String expression) {
        return ((BooleanType) eval(input, expression).get(0)).booleanValue();
    }

    @Test
    void typeFunctionsFollowTheTypeHierarchy() {
        Observation obs = new Observation();
        obs.setValue(new Quantity(5.4).setUnit("mmol/L"));
        obs.setSubject(new Reference("Patient/p1"));
        assertEquals(1, eval(obs, "Observation.value.ofType(Quantity)").size());
        assertEquals(0, eval(obs, "Observation.value.ofType(CodeableConcept)").size());
        assertEquals(1, eval(obs, "(Observation.value as Quantity)").size());
        assertEquals(true, truth(obs, "Observation.value is Quantity"));
        assertEquals(true, truth(obs, "Observation is DomainResource"));
        assertEquals(false, truth(new Patient(), "Patient is Observation"));
        assertEquals(1, eval(obs, "Observation.subject.where(resolve() is Patient)").size());
        assertEquals(0, eval(obs, "Observation.subject.where(resolve() is Group)").size());
    }

    @Test
    void unionsOfQuantitiesCompareThemByUcum() {
        Observation bloodPressure = new Observation();
        bloodPressure.addComponent().setValue(new Quantity(120).setSystem("http://unitsofmeasure.org").setCode("mm[Hg]"));
        bloodPressure.addComponent().setValue(new Quantity(80).setSystem("http://unitsofmeasure.org").setCode("mm[Hg]"));
        bloodPressure.addComponent().setValue(new Quantity(80).setSystem("http://unitsofmeasure.org").setCode("mm[Hg]"));
        List<Base> values = eval(bloodPressure,
                "(Observation.component.value as Quantity) | (Observation.component.value as SampledData)");
        assertEquals(2, values.size(), "120 and 80 mm[Hg], the repeated 80 once: " + values);
    }
}
