package dev.fhirbolt.rest.operation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ca.uhn.fhir.util.FhirTerser;
import dev.fhirbolt.fhir.Fhir;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

class StoredReferencesTest {

    private static final String CLAIM = """
            {"resourceType":"Claim","id":"c1","contained":[{"resourceType":"Coverage","id":"cov",
             "payor":[{"reference":"Organization/payer"}]}],
             "patient":{"reference":"Patient/p1","display":"Pat"},
             "provider":{"reference":"Organization/o1"},
             "insurance":[{"sequence":1,"focal":true,"coverage":{"reference":"#cov"}}],
             "item":[{"sequence":1,"encounter":[{"reference":"Encounter/e1"}],
               "productOrService":{"text":"x"}}],
             "extension":[{"url":"http://example.org/e","valueExpression":{"language":"text/fhirpath",
               "reference":"http://example.org/expr"}}],
             "prescription":{"identifier":{"value":"rx"}}}""";

    @Test
    void findsEveryReferenceTheModelHas() {
        List<String> stored = new ArrayList<>();
        StoredReferences.each(CLAIM.getBytes(StandardCharsets.UTF_8), stored::add);
        Resource model = (Resource) Fhir.context().newJsonParser().parseResource(CLAIM);
        FhirTerser terser = Fhir.context().newTerser();
        List<String> hapi = new ArrayList<>();
        for (Reference r : terser.getAllPopulatedChildElementsOfType(model, Reference.class)) {
            if (r.getReference() != null) {
                hapi.add(r.getReference());
            }
        }
        List<String> literal = stored.stream().filter(s -> s.matches("[A-Za-z]+/[A-Za-z0-9\\-.]{1,64}")).sorted()
                .toList();
        assertEquals(hapi.stream().filter(s -> s.matches("[A-Za-z]+/[A-Za-z0-9\\-.]{1,64}")).sorted().toList(),
                literal);
        assertEquals(List.of("Encounter/e1", "Organization/o1", "Organization/payer", "Patient/p1"), literal);
    }
}
