package dev.fhirbolt.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import dev.fhirbolt.fhir.Fhir;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r5.conformance.profile.ProfileUtilities;
import org.hl7.fhir.r5.elementmodel.JsonParser;
import org.hl7.fhir.r5.elementmodel.ParserBase;
import org.hl7.fhir.r5.elementmodel.ValidatedFragment;
import org.hl7.fhir.r5.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.r5.model.ValueSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shortcuts of {@link CachingWorkerContext} answer what HAPI's own code answers. */
class CachingWorkerContextTest {

    private static ValidationSupportChain chain;
    private static CachingWorkerContext cached;

    @BeforeAll
    static void load() {
        chain = new ValidationSupportChain(new DefaultProfileValidationSupport(Fhir.context()));
        cached = new CachingWorkerContext(chain);
    }

    @Test
    void aMissingResourceFailsWithHapisMessage() {
        WorkerContextValidationSupportAdapter plain = new WorkerContextValidationSupportAdapter(chain);
        String url = "http://hl7.org/fhir/sid/us-npi";
        FHIRException hapi = assertThrows(FHIRException.class,
                () -> plain.fetchResourceWithException(ValueSet.class, url));
        FHIRException ours = assertThrows(FHIRException.class,
                () -> cached.fetchResourceWithException(ValueSet.class, url));
        assertEquals(hapi.getMessage(), ours.getMessage());
        assertEquals("http://hl7.org/fhir/ValueSet/administrative-gender",
                cached.fetchResourceWithException(ValueSet.class,
                        "http://hl7.org/fhir/ValueSet/administrative-gender").getUrl());
    }

    @Test
    void definitionsByUrlAreTheFirstOfTheWalk() {
        List<StructureDefinition> all = cached.fetchResourcesByType(StructureDefinition.class);
        for (String type : List.of("Patient", "Observation", "Bundle", "Extension", "HumanName")) {
            String url = "http://hl7.org/fhir/StructureDefinition/" + type;
            StructureDefinition walked = all.stream().filter(sd -> sd.getUrl().equals(url)).findFirst().orElseThrow();
            assertSame(walked, cached.firstStructureDefinition(url));
        }
        assertNull(cached.firstStructureDefinition("http://hl7.org/fhir/StructureDefinition/NoSuchType"));
        assertSame(cached.fetchTypeDefinition("Patient"), cached.fetchTypeDefinition("Patient"));
        assertNull(cached.fetchTypeDefinition("NoSuchType"));
    }

    @Test
    void theParserReadsAsHapisDoes() throws Exception {
        String json = "{\"resourceType\":\"Patient\",\"gender\":\"female\",\"birthDate\":\"1970-01-01\","
                + "\"name\":[{\"family\":\"Chalmers\"}],\"bogus\":1}";
        ProfileUtilities utilities = new ProfileUtilities(cached, null, null, new FHIRPathEngine(cached));
        List<ValidatedFragment> ours = validating(new DefinitionLookupJsonParser(cached, utilities))
                .parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        List<ValidatedFragment> hapi = validating(new JsonParser(cached, utilities))
                .parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        assertSame(hapi.get(0).getElement().getProperty().getStructure(),
                ours.get(0).getElement().getProperty().getStructure());
        assertEquals(messages(hapi), messages(ours));
        assertEquals(1, messages(ours).size(), messages(ours).toString()); // the unknown element
        String unknown = "{\"resourceType\":\"NoSuchType\"}";
        assertEquals(messages(validating(new JsonParser(cached, utilities)).parse(
                        new ByteArrayInputStream(unknown.getBytes(StandardCharsets.UTF_8)))),
                messages(validating(new DefinitionLookupJsonParser(cached, utilities)).parse(
                        new ByteArrayInputStream(unknown.getBytes(StandardCharsets.UTF_8)))));
    }

    private static JsonParser validating(JsonParser parser) {
        parser.setupValidation(ParserBase.ValidationPolicy.EVERYTHING);
        return parser;
    }

    private static List<String> messages(List<ValidatedFragment> fragments) {
        List<String> out = new ArrayList<>();
        fragments.forEach(f -> f.getErrors().forEach(m -> out.add(m.getLevel() + " " + m.getLocation() + " "
                + m.getMessage())));
        return out;
    }
}
