package dev.fhirbolt.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.RuntimePrimitiveDatatypeDefinition;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/**
 * JSON written from the request's tree is what HAPI's encoder writes for the same model, up to the order of object
 * members, or the tree is not used. Set {@code -Dfhirbolt.synthea.dir=DIR} to also compare every bundle of DIR.
 */
class StampableTreeTest {

    private static final ObjectMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void syntheaFixturesAreStoredAsHapiEncodesThem() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("../app/src/test/resources/synthea"))) {
            s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
        }
        files.add(Path.of("../search/src/test/resources/synthea-lavern.json"));
        String more = System.getProperty("fhirbolt.synthea.dir");
        if (more != null && !more.isBlank()) {
            try (Stream<Path> s = Files.list(Path.of(more))) {
                s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
            }
        }
        Map<String, Integer> fallbacks = new TreeMap<>();
        int compared = 0;
        int entries = 0;
        for (Path file : files) {
            Bundle bundle = (Bundle) ResourceReader.read(Files.readAllBytes(file), FhirFormat.JSON);
            int i = 0;
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                Resource resource = entry.getResource();
                ResourceJson json = ResourceJson.of(resource).orElseThrow();
                resolveAsATransactionWould(resource, json);
                resource.setId("stored-" + i++);
                entries++;
                StampableTree.Outcome fromTree = StampableTree.write(resource, json);
                if (fromTree.fallback() != null) {
                    fallbacks.merge(resource.fhirType() + ": " + fromTree.fallback().replaceAll(":.*", ""), 1,
                            Integer::sum);
                    continue;
                }
                assertSameJson(hapi(resource), fromTree.json(), file.getFileName() + " entry " + i);
                compared++;
            }
        }
        System.out.printf("StampableTreeTest: %d files, %d entries, %d written from the tree, fallbacks %s%n",
                files.size(), entries, compared, fallbacks);
        assertTrue(compared > 500, "entries compared: " + compared);
    }

    @Test
    void unusualJsonIsEitherCopiedAsHapiWouldWriteItOrLeftToHapi() {
        List<String> bodies = List.of(
                obs("\"valueQuantity\":{\"value\":1.50,\"unit\":\"mg\"}"),
                obs("\"valueQuantity\":{\"value\":1e3}"),
                obs("\"valueQuantity\":{\"value\":1.5E2}"),
                obs("\"valueQuantity\":{\"value\":0.0000001}"),
                obs("\"valueQuantity\":{\"value\":15e-1}"),
                obs("\"valueQuantity\":{\"value\":+5}"),
                obs("\"valueQuantity\":{\"value\":-0.0}"),
                obs("\"valueQuantity\":{\"value\":12345678901234567890123}"),
                obs("\"valueInteger\":+7"),
                obs("\"valueString\":\"   \""),
                obs("\"valueString\":\"a\\u0000b \\ud83d\\ude00 \\u00e9\""),
                obs("\"valueString\":\"x\",\"_valueString\":{\"id\":\"e\"}"),
                obs("\"valueBoolean\":true"),
                obs("\"valueSampledData\":{\"origin\":{\"value\":0},\"period\":1,\"dimensions\":1,\"data\":\"1 2 3\"}"),
                obs("\"valueAttachment\":{\"data\":\"SGVsbG8=\"}"),
                obs("\"valueAttachment\":{\"data\":\"SGVsbG8\"}"),
                obs("\"valueAttachment\":{\"data\":\"SGVsbG9=\"}"),
                obs("\"valueAttachment\":{\"data\":\"SGVs\\nbG8=\"}"),
                obs("\"extension\":[{\"url\":\"http://x\",\"valueBase64Binary\":\"AAE=\"}]"),
                obs("\"extension\":[{\"url\":\"http://x\",\"extension\":[{\"url\":\"y\",\"valueCode\":\"z\"}]}]"),
                obs("\"modifierExtension\":[{\"url\":\"http://x\",\"valueString\":\"s\"}]"),
                obs("\"subject\":{\"reference\":\"Patient/1/_history/2\"}"),
                obs("\"subject\":{\"reference\":\"urn:uuid:0d9a7d4c-3e4e-4a34-8f06-a8e7b6f0b1a1\"}"),
                obs("\"subject\":{\"reference\":\"http://example.org/fhir/Patient/1\"}"),
                obs("\"subject\":{\"reference\":\"Patient?identifier=http://x/y|1\"}"),
                obs("\"subject\":{\"reference\":\"123\"}"),
                obs("\"subject\":{\"display\":\"no reference\"}"),
                obs("\"contained\":[{\"resourceType\":\"Patient\",\"id\":\"p\"}],\"subject\":{\"reference\":\"#p\"}"),
                obs("\"contained\":[{\"resourceType\":\"Patient\",\"id\":\"p\"}]"),
                obs("\"contained\":[{\"resourceType\":\"Patient\",\"id\":\"p\"},{\"resourceType\":\"Group\","
                        + "\"id\":\"g\",\"type\":\"person\",\"actual\":true,\"member\":[{\"entity\":{\"reference\":"
                        + "\"#p\"}}]}],\"subject\":{\"reference\":\"#g\"}"),
                obs("\"contained\":[{\"resourceType\":\"Patient\",\"id\":\"p\",\"meta\":{\"versionId\":\"3\"}}],"
                        + "\"subject\":{\"reference\":\"#p\"}"),
                obs("\"contained\":[{\"resourceType\":\"Patient\",\"id\":\"#p\"}],\"subject\":{\"reference\":\"#p\"}"),
                obs("\"contained\":[{\"resourceType\":\"Patient\",\"id\":\"p\",\"managingOrganization\":{"
                        + "\"reference\":\"Organization/1/_history/1\"}}],\"subject\":{\"reference\":\"#p\"}"),
                obs("\"contained\":[{\"resourceType\":\"Patient\",\"id\":\"p\"},{\"resourceType\":\"Patient\","
                        + "\"id\":\"q\"}],\"subject\":{\"reference\":\"#p\"},\"performer\":[{\"reference\":\"#q\"}]"),
                obs("\"meta\":{\"versionId\":\"9\",\"lastUpdated\":\"2020-01-01T00:00:00Z\",\"profile\":[\"http://p\"],"
                        + "\"tag\":[{\"system\":\"s\",\"code\":\"c\"}]}"),
                obs("\"meta\":{\"versionId\":\"9\"}"),
                obs("\"meta\":{}"),
                obs("\"note\":[]"),
                obs("\"note\":[{}]"),
                obs("\"note\":[{\"text\":\"a\",\"id\":\"n1\"}]"),
                obs("\"category\":[{\"coding\":[{\"system\":\"s\",\"code\":\"c\"}]},{\"text\":\"t\"}]"),
                obs("\"effectiveDateTime\":\"2020-01-01T10:00:00.1234567+05:30\""),
                obs("\"effectiveDateTime\":\"2020\""),
                obs("\"issued\":\"2020-01-01T10:00:00Z\""),
                obs("\"text\":{\"status\":\"generated\",\"div\":\"<div xmlns='http://www.w3.org/1999/xhtml'><p>a"
                        + "<br></br>b</p></div>\"}"),
                obs("\"text\":{\"status\":\"generated\",\"div\":\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">&lt;"
                        + " x &amp; y</div>\"}"),
                obs("\"language\":\"en\",\"implicitRules\":\"http://rules\""),
                "{'resourceType':'Patient','id':'p1','active':true,'name':[{'given':['A','B'],'family':'C'}]}",
                "{\"resourceType\":\"Patient\",\"name\":[{\"given\":[\"A\",null]}]}",
                "{\"resourceType\":\"Patient\",\"name\":[{\"given\":[\"A\"],\"_given\":[null,{\"id\":\"g\"}]}]}",
                "{\"resourceType\":\"Patient\",\"fhir_comments\":[\"c\"],\"active\":true}",
                "{\"resourceType\":\"Patient\",\"active\":true,\"active\":false}",
                "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"_id\":{\"extension\":[{\"url\":\"u\",\"valueString\":"
                        + "\"v\"}]}}",
                "{\"resourceType\":\"Binary\",\"contentType\":\"text/plain\",\"data\":\"SGVsbG8gd29ybGQ=\"}",
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"r\",\"resource\":{\"resourceType\":"
                        + "\"Patient\",\"active\":true}}]}");
        int copied = 0;
        for (String body : bodies) {
            Resource resource;
            try {
                resource = ResourceReader.read(body.getBytes(StandardCharsets.UTF_8), FhirFormat.JSON);
            } catch (dev.fhirbolt.common.FhirException rejected) {
                continue; // refused like before: nothing is stored
            }
            ResourceJson json = ResourceJson.of(resource).orElseThrow();
            resource.setId("stored");
            StampableTree.Outcome fromTree = StampableTree.write(resource, json);
            if (fromTree.json() != null) {
                assertSameJson(hapi(resource), fromTree.json(), body);
                copied++;
            }
        }
        assertTrue(copied > 20, "copied " + copied);
    }

    @Test
    void theTreeIsUsedOnceAndAlwaysGivesTheStampableForm() {
        Resource r = ResourceReader.read(("{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":"
                + "\"x\"},\"meta\":{\"versionId\":\"7\",\"source\":\"s\"}}").getBytes(StandardCharsets.UTF_8),
                FhirFormat.JSON);
        r.setId("o1");
        assertTrue(ResourceJson.of(r).isPresent());
        String json = new String(StampableJson.of(r).stamp(3, NOW), StandardCharsets.UTF_8);
        assertEquals("{\"resourceType\":\"Observation\",\"id\":\"o1\",\"meta\":{\"versionId\":\"3\",\"lastUpdated\":"
                + "\"2026-11-29T10:00:00.000Z\",\"source\":\"s\"},\"status\":\"final\",\"code\":{\"text\":\"x\"}}",
                json);
        assertTrue(ResourceJson.of(r).isEmpty(), "the tree is let go once written");
        assertEquals(StampableJson.VERSION_PLACEHOLDER, r.getMeta().getVersionId(), "the model's meta as before");
    }

    @Test
    void referencesResolvedDifferentlyForOneOriginalLeaveTheTreeUnused() {
        Resource r = ResourceReader.read(obs("\"subject\":{\"reference\":\"urn:uuid:a\"},\"performer\":[{"
                + "\"reference\":\"urn:uuid:a\"}]").getBytes(StandardCharsets.UTF_8), FhirFormat.JSON);
        ResourceJson json = ResourceJson.of(r).orElseThrow();
        json.resolved("urn:uuid:a", "Patient/1");
        json.resolved("urn:uuid:a", "Patient/2");
        r.setId("o1");
        assertNull(StampableTree.write(r, json).json());
    }

    @Test
    void aChangedReferenceValueAlsoHeldByAUriIsLeftToHapi() {
        Resource r = ResourceReader.read(("{\"resourceType\":\"DetectedIssue\",\"status\":\"final\",\"reference\":"
                + "\"urn:uuid:a\",\"patient\":{\"reference\":\"urn:uuid:a\"}}").getBytes(StandardCharsets.UTF_8),
                FhirFormat.JSON);
        ResourceJson json = ResourceJson.of(r).orElseThrow();
        json.inModel("urn:uuid:a");
        json.resolved("urn:uuid:a", "Patient/1");
        r.setId("d1");
        assertEquals(null, StampableTree.write(r, json).json());
    }

    @Test
    void base64NamesComeFromTheDefinitions() {
        for (String name : List.of("data", "hash", "valueBase64Binary", "carrierAIDC")) {
            assertTrue(Base64Elements.isBase64Name(name), name);
        }
        assertTrue(Base64Elements.isCanonical("SGVsbG8="));
        assertTrue(Base64Elements.isCanonical("AAE="));
        assertTrue(!Base64Elements.isCanonical("SGVsbG9="));
        assertTrue(!Base64Elements.isCanonical("SGVsbG8"));
        assertTrue(!Base64Elements.isCanonical("SGVs\nbG8="));
    }

    /** Other elements named "reference" are why the writer counts the references it changes. */
    @Test
    void aFewElementsOtherThanReferenceAreNamedReference() {
        Set<String> owners = new HashSet<>();
        Set<BaseRuntimeElementDefinition<?>> seen = new HashSet<>();
        primitiveReferenceOwners(Fhir.context().getElementDefinition("Extension"), owners, seen);
        for (String type : Fhir.context().getResourceTypes()) {
            primitiveReferenceOwners(Fhir.context().getResourceDefinition(type), owners, seen);
        }
        assertEquals(Set.of("Reference", "Expression", "DetectedIssue", "ImmunizationEducationComponent"), owners);
    }

    private static void primitiveReferenceOwners(BaseRuntimeElementDefinition<?> definition, Set<String> owners,
            Set<BaseRuntimeElementDefinition<?>> seen) {
        if (!(definition instanceof BaseRuntimeElementCompositeDefinition<?> composite) || !seen.add(definition)) {
            return;
        }
        for (BaseRuntimeChildDefinition child : composite.getChildren()) {
            if (child.getElementName().endsWith("xtension")) {
                continue;
            }
            for (String name : child.getValidChildNames()) {
                BaseRuntimeElementDefinition<?> type = child.getChildByName(name);
                if (name.equals("reference") && type instanceof RuntimePrimitiveDatatypeDefinition) {
                    owners.add(definition.getName());
                }
                if (type != null) {
                    primitiveReferenceOwners(type, owners, seen);
                }
            }
        }
    }

    private static String obs(String fields) {
        return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"}," + fields + "}";
    }

    /** What a transaction does: urn:uuid and conditional references now name a stored resource. */
    private static void resolveAsATransactionWould(Resource resource, ResourceJson json) {
        for (Reference ref : Fhir.context().newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
            String original = ref.getReference();
            if (original == null) {
                continue;
            }
            String resolved = original.startsWith("urn:uuid:") ? "Patient/" + original.substring(9)
                    : original.contains("?") ? original.substring(0, original.indexOf('?')) + "/"
                            + Integer.toHexString(original.hashCode()) : original;
            json.inModel(original);
            ref.setReference(resolved);
            json.resolved(original, resolved);
        }
    }

    private static byte[] hapi(Resource resource) {
        return StampableJson.of(resource, false).stamp(1, NOW);
    }

    private static void assertSameJson(byte[] hapi, byte[] tree, String what) {
        StampableJson stamped = StampableJson.ofEncoded(tree);
        assertNotNull(stamped);
        try {
            JsonNode expected = EXACT.readTree(hapi);
            JsonNode actual = EXACT.readTree(stamped.stamp(1, NOW));
            assertEquals(expected, actual, what + "\nHAPI: " + expected + "\ntree: " + actual);
        } catch (IOException e) {
            throw new AssertionError(what, e);
        }
    }
}
