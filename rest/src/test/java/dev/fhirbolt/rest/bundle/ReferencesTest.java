package dev.fhirbolt.rest.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.fhir.FhirFormat;
import dev.fhirbolt.fhir.ResourceReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/** {@link References#of} finds exactly the references the model's own child listing leads to, in the same order. */
class ReferencesTest {

    @Test
    void findsEveryReferenceOfTheSyntheaFixturesAsTheModelListsThem() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("../app/src/test/resources/synthea"))) {
            s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
        }
        int references = 0;
        for (Path file : files) {
            Bundle bundle = (Bundle) ResourceReader.read(Files.readAllBytes(file), FhirFormat.JSON);
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                references += assertSameAsModelListing(entry.getResource());
            }
        }
        assertTrue(references > 1_000, "the fixtures hold many references: " + references);
    }

    @Test
    void findsReferencesInExtensionsPrimitiveExtensionsNestedExtensionsAndContainedResources() {
        String json = """
                {"resourceType":"Observation","status":"final",
                 "contained":[{"resourceType":"Practitioner","id":"p1",
                   "extension":[{"url":"http://x/e","valueReference":{"reference":"Organization/in-contained"}}]}],
                 "extension":[{"url":"http://x/outer","extension":[{"url":"inner",
                   "valueReference":{"reference":"Patient/nested"}}]}],
                 "modifierExtension":[{"url":"http://x/m","valueReference":{"reference":"Device/modifier"}}],
                 "code":{"coding":[{"system":"http://loinc.org","code":"1",
                   "_code":{"extension":[{"url":"http://x/p","valueReference":{"reference":"Location/primitive"}}]}}]},
                 "subject":{"reference":"Patient/1","identifier":{"value":"x",
                   "assigner":{"reference":"Organization/assigner"}}},
                 "performer":[{"reference":"#p1"}],
                 "text":{"status":"generated","div":"<div xmlns=\\"http://www.w3.org/1999/xhtml\\">x</div>"}}
                """;
        Resource resource = ResourceReader.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                FhirFormat.JSON);
        assertEquals(7, assertSameAsModelListing(resource));
    }

    private static int assertSameAsModelListing(Resource resource) {
        List<Reference> expected = new ArrayList<>();
        modelListing(resource, expected);
        List<References.Slot> slots = References.of(resource);
        assertEquals(expected.size(), slots.size(), resource.fhirType() + "/" + resource.getIdPart());
        for (int i = 0; i < slots.size(); i++) {
            assertTrue(expected.get(i) == slots.get(i).reference(), "slot " + i + " of " + resource.fhirType());
            assertEquals(expected.get(i).getReference(), slots.get(i).original());
        }
        return slots.size();
    }

    /** The plain walk over {@code Base.children()} (and a primitive's extensions). */
    private static void modelListing(Base element, List<Reference> out) {
        if (element instanceof Reference ref && ref.hasReference()) {
            out.add(ref);
        }
        if (element.isPrimitive()) {
            if (element instanceof org.hl7.fhir.r4.model.Element primitive) {
                primitive.getExtension().forEach(extension -> modelListing(extension, out));
            }
            return;
        }
        for (Property property : element.children()) {
            for (Base value : property.getValues()) {
                if (value != null) {
                    modelListing(value, out);
                }
            }
        }
    }
}
