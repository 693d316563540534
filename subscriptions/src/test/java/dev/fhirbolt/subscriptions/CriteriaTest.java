package dev.fhirbolt.subscriptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.common.FhirException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CriteriaTest {

    @Test
    void parsesTypeAndDecodedParameters() {
        Criteria c = Criteria.parse("Observation?code=http://loinc.org%7C1234-5&patient=Patient/1&code=x");
        assertEquals("Observation", c.type());
        assertEquals(Map.of("code", List.of("http://loinc.org|1234-5", "x"), "patient", List.of("Patient/1")),
                c.params());
        assertEquals("Patient", Criteria.parse("/Patient").type());
        assertEquals("a+b", Criteria.parse("Patient?name=a+b").params().get("name").get(0));
    }

    @Test
    void refusesCriteriaWithoutATypeOrWithoutValues() {
        assertEquals(400, assertThrows(FhirException.class, () -> Criteria.parse("?code=1")).status());
        assertEquals(400, assertThrows(FhirException.class, () -> Criteria.parse("Observation?code")).status());
        assertEquals(400, assertThrows(FhirException.class, () -> Criteria.parse("Observation?a=%zz")).status());
    }

    @Test
    void anAudienceReachesItsTypesAndCompartments() {
        Audience patient = new Audience(List.of(Audience.Reach.decode("* Patient/1")));
        assertTrue(patient.mayRead("Observation", Set.of("Patient/1")));
        assertFalse(patient.mayRead("Observation", Set.of("Patient/2")));
        Audience typed = new Audience(List.of(new Audience.Reach("Observation", null)));
        assertTrue(typed.mayRead("Observation", Set.of()));
        assertFalse(typed.mayRead("Condition", Set.of()));
        assertEquals("Observation *", typed.reaches().get(0).encode());
        assertFalse(Audience.NOTHING.mayRead("Patient", Set.of()));
    }
}
