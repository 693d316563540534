package dev.fhirbolt.search.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.search.SearchParameterRegistry;
import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.search.index.ResourceIndexer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/** {@link CompiledMatch#key()}: the exact values a matching resource must have one of, and matching on given values. */
class CompiledMatchKeyTest {

    private static final SearchParameterRegistry REGISTRY = new SearchParameterRegistry();

    private static Optional<CompiledMatch.Key> key(Map<String, List<String>> params) {
        return CompiledMatch.compile(REGISTRY, "Observation", params).orElseThrow().key();
    }

    @Test
    void exactTokenAndReferenceValuesAreKeys() {
        CompiledMatch.Key code = key(Map.of("code", List.of("http://loinc.org|1,http://loinc.org|2"))).orElseThrow();
        assertEquals("code", code.param().code());
        assertEquals(2, code.values().size());
        assertTrue(Arrays.equals(Encoded.strings(Encoded.SYSTEM_CODE, "http://loinc.org", "1"), code.values().get(0)));
        CompiledMatch.Key patient = key(Map.of("patient", List.of("Patient/p1"))).orElseThrow();
        assertTrue(Arrays.equals(Encoded.strings(Encoded.LOCAL_REF, "Patient/p1"), patient.values().get(0)));
    }

    @Test
    void negationsPrefixesRangesAndMissingAreNotKeys() {
        assertFalse(key(Map.of("code:not", List.of("http://loinc.org|1"))).isPresent());
        assertFalse(key(Map.of("code", List.of("http://loinc.org|"))).isPresent());
        assertFalse(key(Map.of("date", List.of("ge2020-01-01"))).isPresent());
        assertFalse(key(Map.of("code:missing", List.of("true"))).isPresent());
        assertEquals("patient", key(Map.of("date", List.of("ge2020-01-01"), "patient", List.of("Patient/p1")))
                .orElseThrow().param().code(), "the first test that has exact values");
    }

    @Test
    void matchesOnTheValuesGiven() {
        Observation o = new Observation();
        o.setId("o1");
        o.setCode(new CodeableConcept(new Coding("http://loinc.org", "1", null)));
        o.setSubject(new Reference("Patient/p1"));
        CompiledMatch match = CompiledMatch.compile(REGISTRY, "Observation",
                Map.of("code", List.of("http://loinc.org|1"), "patient", List.of("Patient/p1"))).orElseThrow();
        assertTrue(match.matches(p -> ResourceIndexer.values(o, p, REGISTRY::byUrl)));
        assertFalse(match.matches(p -> p.code().equals("patient") ? List.of() : ResourceIndexer.values(o, p,
                REGISTRY::byUrl)));
    }
}
