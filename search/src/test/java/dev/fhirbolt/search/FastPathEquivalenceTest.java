package dev.fhirbolt.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.fhirbolt.database.KvEntry;
import dev.fhirbolt.fhir.FhirFormat;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.search.index.Elements;
import dev.fhirbolt.search.index.ResourceIndexer;
import dev.fhirbolt.search.param.CompiledParam;
import dev.fhirbolt.search.param.FhirPaths;
import dev.fhirbolt.search.param.SimplePath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fast path ({@link SimplePath}) must select exactly what HAPI's FHIRPath engine selects, for every R4 search
 * parameter: the same elements in the same order, hence identical index entries. Checked on the Synthea fixtures (as
 * sent, with urn:uuid and conditional references, and as a transaction stores them, with Type/id references), on
 * hand-made edge cases, and on every file of {@code -Dsynthea.dir} when set (files up to 20 MB).
 */
class FastPathEquivalenceTest {

    private static final Pattern UUID_REF = Pattern.compile("\"urn:uuid:([0-9a-f-]{36})\"");
    private static final SearchParameterRegistry REGISTRY = SearchFixture.REGISTRY;

    private final Stats stats = new Stats();

    @AfterEach
    void restore() {
        Elements.engineOnly(false);
    }

    @Test
    void everyBuiltinPathCompilesOrIsKnownToNeedTheEngine() {
        TreeSet<String> engineOnly = new TreeSet<>();
        int compiled = 0;
        for (String type : dev.fhirbolt.fhir.Fhir.resourceTypes()) {
            for (CompiledParam p : REGISTRY.forType(type).values()) {
                if (!p.hasPath()) {
                    continue;
                }
                if (SimplePath.of(p.path()) != null) {
                    compiled++;
                } else {
                    engineOnly.add(p.path());
                }
            }
        }
        // the engine keeps: Bundle.entry[0].resource, Patient.deceased.exists() and ..., and extensions/where forms
        assertTrue(compiled > 2_500, "compiled " + compiled);
        assertTrue(engineOnly.size() < 10, "not compiled: " + engineOnly);
    }

    @Test
    void syntheaFixturesGiveIdenticalIndexEntries() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(Path.of("src/test/resources/synthea-lavern.json"));
        try (Stream<Path> s = Files.list(Path.of("../app/src/test/resources/synthea"))) {
            s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
        }
        String extra = System.getProperty("synthea.dir");
        if (extra != null) {
            try (Stream<Path> s = Files.list(Path.of(extra))) {
                s.filter(p -> p.toString().endsWith(".json") && p.toFile().length() < 20_000_000).sorted()
                        .forEach(files::add);
            }
        }
        for (Path file : files) {
            String json = Files.readString(file);
            compareBundle(json);
            compareBundle(withTypedReferences(json));
        }
        System.out.println("fast path equivalence: " + stats);
        assertTrue(stats.fast > 10 * Math.max(1, stats.fallback), "the fast path should answer most: " + stats);
    }

    @Test
    void edgeCasesGiveIdenticalIndexEntries() {
        String[] resources = {
            // contained target: resolve() of "#x" is left to the engine
            "{\"resourceType\":\"Observation\",\"id\":\"o1\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                    + "\"contained\":[{\"resourceType\":\"Patient\",\"id\":\"c1\"}],\"subject\":{\"reference\":\"#c1\"},"
                    + "\"valueQuantity\":{\"value\":5,\"unit\":\"mg\",\"system\":\"http://unitsofmeasure.org\","
                    + "\"code\":\"mg\"},\"component\":[{\"code\":{\"coding\":[{\"system\":\"urn:s\",\"code\":\"a\"}]},"
                    + "\"valueQuantity\":{\"value\":1}},{\"code\":{\"text\":\"b\"},\"valueString\":\"v\"}]}",
            // absolute, versioned, logical and non-Patient subjects
            "{\"resourceType\":\"Observation\",\"id\":\"o2\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                    + "\"subject\":{\"reference\":\"http://example.org/fhir/Patient/9/_history/2\"},"
                    + "\"valueCodeableConcept\":{\"text\":\"high\"}}",
            "{\"resourceType\":\"Observation\",\"id\":\"o3\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                    + "\"subject\":{\"identifier\":{\"system\":\"urn:x\",\"value\":\"1\"}},"
                    + "\"effectivePeriod\":{\"start\":\"2020\"}}",
            "{\"resourceType\":\"Observation\",\"id\":\"o4\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                    + "\"subject\":{\"reference\":\"Group/g1\"},\"valueSampledData\":{\"origin\":{\"value\":1},"
                    + "\"period\":1,\"dimensions\":1}}",
            "{\"resourceType\":\"Observation\",\"id\":\"o5\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                    + "\"subject\":{\"reference\":\"Patient?identifier=urn:x|1\"}}",
            "{\"resourceType\":\"Condition\",\"id\":\"c1\",\"subject\":{\"reference\":\"Patient/p\"},"
                    + "\"onsetAge\":{\"value\":40,\"unit\":\"a\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"a\"},"
                    + "\"abatementString\":\"later\"}",
            "{\"resourceType\":\"Condition\",\"id\":\"c2\",\"subject\":{\"reference\":\"Patient/p\"},"
                    + "\"onsetRange\":{\"low\":{\"value\":1}},\"abatementPeriod\":{\"end\":\"2021-01-01\"}}",
            "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"telecom\":[{\"system\":\"email\",\"value\":\"a@b.c\"},"
                    + "{\"system\":\"phone\",\"value\":\"123\"},{\"value\":\"no-system\"}],\"deceasedBoolean\":false,"
                    + "\"link\":[{\"other\":{\"reference\":\"RelatedPerson/r\"},\"type\":\"seealso\"}],"
                    + "\"meta\":{\"profile\":[\"urn:p\"],\"tag\":[{\"code\":\"t\"}],\"source\":\"urn:s\"}}",
            "{\"resourceType\":\"Person\",\"id\":\"pe\",\"link\":[{\"target\":{\"reference\":\"Patient/a\"}},"
                    + "{\"target\":{\"reference\":\"Practitioner/b\"}},{\"target\":{\"reference\":\"RelatedPerson/c\"}}]}",
            "{\"resourceType\":\"Library\",\"id\":\"lib\",\"status\":\"active\",\"type\":{\"text\":\"x\"},"
                    + "\"relatedArtifact\":[{\"type\":\"depends-on\",\"resource\":\"http://x/Library/a|1\"},"
                    + "{\"type\":\"predecessor\",\"resource\":\"http://x/Library/b\"}]}",
            // component quantities the engine's union calls equal or not: UCUM 1000 mg = 1 g, its trailing-zero
            // quirk (100 = 1 in one code), codes without UCUM, unit only, no unit at all, a value missing
            "{\"resourceType\":\"Observation\",\"id\":\"o6\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                    + "\"valueQuantity\":{\"value\":1,\"system\":\"http://unitsofmeasure.org\",\"code\":\"g\"},"
                    + "\"component\":[" + quantityComponent("1000", "\"system\":\"http://unitsofmeasure.org\",\"code\":\"mg\"")
                    + "," + quantityComponent("1", "\"system\":\"http://unitsofmeasure.org\",\"code\":\"g\"")
                    + "," + quantityComponent("1.0", "\"system\":\"http://unitsofmeasure.org\",\"code\":\"g\"")
                    + "," + quantityComponent("100", "\"system\":\"urn:u\",\"code\":\"x\"")
                    + "," + quantityComponent("1", "\"system\":\"urn:u\",\"code\":\"x\"")
                    + "," + quantityComponent("5", "\"unit\":\"u\"") + "," + quantityComponent("5", "\"unit\":\"u\"")
                    + "," + quantityComponent("5", "\"unit\":\"v\"") + "," + quantityComponent("7", "")
                    + "," + quantityComponent("7", "") + "," + quantityComponent("7", "\"unit\":\"w\"")
                    + "," + quantityComponent("120", "\"system\":\"http://unitsofmeasure.org\",\"code\":\"mm[Hg]\"")
                    + "," + quantityComponent("80", "\"system\":\"http://unitsofmeasure.org\",\"code\":\"mm[Hg]\"")
                    + "," + quantityComponent("3", "\"system\":\"http://unitsofmeasure.org\",\"code\":\"not a unit\"")
                    + ",{\"code\":{\"text\":\"c\"},\"valueQuantity\":{\"unit\":\"g\"}}"
                    + ",{\"code\":{\"text\":\"c\"},\"valueCodeableConcept\":{\"text\":\"high\"}}"
                    + ",{\"code\":{\"text\":\"c\"},\"valueCodeableConcept\":{\"text\":\"high\"}}]}",
            "{\"resourceType\":\"Bundle\",\"id\":\"b\",\"type\":\"document\",\"entry\":[{\"fullUrl\":\"urn:uuid:"
                    + "8f1c1c9a-2d2e-4b7e-9f43-1f0c7a3a1b11\",\"resource\":{\"resourceType\":\"Composition\",\"status\":"
                    + "\"final\",\"type\":{\"text\":\"t\"},\"date\":\"2020\",\"author\":[{\"display\":\"a\"}],"
                    + "\"title\":\"t\"}}]}",
        };
        for (String json : resources) {
            compare(ResourceReader.read(json.getBytes(StandardCharsets.UTF_8), FhirFormat.JSON));
        }
        assertTrue(stats.fallback > 0, "the contained reference must go to the engine: " + stats);
    }

    private static String quantityComponent(String value, String unit) {
        return "{\"code\":{\"text\":\"c\"},\"valueQuantity\":{\"value\":" + value + (unit.isEmpty() ? "" : "," + unit)
                + "}}";
    }

    private void compareBundle(String json) {
        Bundle bundle = (Bundle) ResourceReader.readStored(json.getBytes(StandardCharsets.UTF_8));
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource r = entry.getResource();
            if (r.getIdElement().getIdPart() == null && entry.hasFullUrl()) {
                r.setId(entry.getFullUrl().replace("urn:uuid:", ""));
            }
            compare(r);
        }
    }

    /** A transaction stores Type/id where Synthea writes urn:uuid references. */
    private static String withTypedReferences(String json) {
        Bundle bundle = (Bundle) ResourceReader.readStored(json.getBytes(StandardCharsets.UTF_8));
        Map<String, String> types = new HashMap<>();
        bundle.getEntry().stream().filter(e -> e.hasFullUrl())
                .forEach(e -> types.put(e.getFullUrl().replace("urn:uuid:", ""), e.getResource().fhirType()));
        Matcher m = UUID_REF.matcher(json);
        return m.replaceAll(r -> "\"" + types.getOrDefault(r.group(1), "Basic") + "/" + r.group(1) + "\"");
    }

    private void compare(Resource resource) {
        String where = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
        for (CompiledParam param : REGISTRY.forType(resource.fhirType()).values()) {
            if (!param.hasPath()) {
                continue;
            }
            compareElements(where, resource, param);
            Elements.engineOnly(true);
            List<byte[]> engine = ResourceIndexer.values(resource, param, REGISTRY::byUrl);
            Elements.engineOnly(false);
            List<byte[]> fast = ResourceIndexer.values(resource, param, REGISTRY::byUrl);
            assertEquals(render(engine), render(fast), where + " " + param.code() + " (" + param.path() + ")");
        }
        Elements.engineOnly(true);
        List<KvEntry> engine = ResourceIndexer.entries(resource, REGISTRY.forType(resource.fhirType()).values(),
                REGISTRY::byUrl).with("_lastUpdated", List.of());
        Elements.engineOnly(false);
        List<KvEntry> fast = ResourceIndexer.entries(resource, REGISTRY.forType(resource.fhirType()).values(),
                REGISTRY::byUrl).with("_lastUpdated", List.of());
        assertEquals(engine.size(), fast.size(), where);
        for (int i = 0; i < engine.size(); i++) {
            assertEquals(engine.get(i).keyspace(), fast.get(i).keyspace(), where);
            assertTrue(Arrays.equals(engine.get(i).key(), fast.get(i).key()), where + " entry " + i);
            assertTrue(Arrays.equals(engine.get(i).value(), fast.get(i).value()), where + " value of entry " + i);
        }
    }

    /** The selected elements themselves: the very same objects, in the same order. */
    private void compareElements(String where, Resource resource, CompiledParam param) {
        SimplePath simple = SimplePath.of(param.path());
        if (simple == null) {
            stats.notCompiled++;
            return;
        }
        List<Base> fast = simple.evaluate(resource);
        List<Base> engine;
        try {
            engine = FhirPaths.evaluate(resource, param.expression().get());
        } catch (RuntimeException e) {
            if (fast != null) {
                fail(where + " " + param.code() + ": the engine failed (" + e.getMessage() + ") but the fast path"
                        + " answered " + fast);
            }
            stats.fallback++;
            stats.fallbackPaths.merge(param.path() + " (engine failed: " + e.getMessage() + ")", 1, Integer::sum);
            return;
        }
        if (fast == null) {
            stats.fallback++;
            stats.fallbackPaths.merge(param.path(), 1, Integer::sum);
            return;
        }
        stats.fast++;
        String label = where + " " + param.code() + " (" + param.path() + ")";
        assertEquals(engine.size(), fast.size(), label + ": " + engine + " vs " + fast);
        for (int i = 0; i < engine.size(); i++) {
            IBase e = engine.get(i);
            Base f = fast.get(i);
            if (e instanceof IIdType eid && f instanceof IIdType fid) {
                assertEquals(eid.getValue(), fid.getValue(), label);
            } else if (e != f) {
                fail(label + ": element " + i + " differs: " + e + " vs " + f);
            }
        }
    }

    private static List<String> render(List<byte[]> values) {
        List<String> out = new ArrayList<>();
        for (byte[] v : values) {
            out.add(Arrays.toString(v));
        }
        return out;
    }

    private static final class Stats {
        long fast;
        long fallback;
        long notCompiled;
        final Map<String, Integer> fallbackPaths = new java.util.TreeMap<>();

        @Override
        public String toString() {
            return fast + " evaluations by the fast path, " + fallback + " fell back at run time, " + notCompiled
                    + " not compiled; fell back: " + fallbackPaths;
        }
    }
}
