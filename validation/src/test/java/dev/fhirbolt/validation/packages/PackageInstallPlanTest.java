package dev.fhirbolt.validation.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PackageInstallPlanTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode resource(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    private static FhirPackage pkg(Map<String, String> dependencies, List<ObjectNode> resources) {
        return new FhirPackage("example.a", "1.0.0", List.of("4.0.1"), dependencies, resources, 0);
    }

    @Test
    void missingDependencyIsNamed() {
        PackageException e = assertThrows(PackageException.class, () -> PackageInstallPlan.of(
                pkg(Map.of("hl7.fhir.r4.core", "4.0.1", "example.b", "2.0.0"), List.of()), List.of()));
        assertEquals(409, e.status());
        assertTrue(e.getMessage().contains("example.b#2.0.0") && e.getMessage().contains("not installed"),
                e.getMessage());
        PackageInstallPlan.of(pkg(Map.of("example.b", "2.0.0"), List.of()),
                List.of(new InstalledPackage("example.b", "2.0.0", Map.of(), 0)));
        PackageInstallPlan.of(pkg(Map.of("example.b", "current"), List.of()),
                List.of(new InstalledPackage("example.b", "1.0.0", Map.of(), 0)));
    }

    @Test
    void otherFhirVersionsAreRefused() {
        FhirPackage r5 = new FhirPackage("example.r5", "1.0.0", List.of("5.0.0"), Map.of(), List.of(), 0);
        assertEquals(400, assertThrows(PackageException.class, () -> PackageInstallPlan.of(r5, List.of())).status());
        assertThrows(PackageException.class, () -> PackageInstallPlan.of(
                pkg(Map.of("hl7.fhir.r4.core", "5.0.0"), List.of()), List.of()));
    }

    @Test
    void transactionPutsEachResourceAndTheRecord() throws Exception {
        PackageInstallPlan plan = PackageInstallPlan.of(pkg(Map.of(), List.of(
                resource("{\"resourceType\":\"ValueSet\",\"id\":\"vs\",\"url\":\"http://x/ValueSet/vs\"}"),
                resource("{\"resourceType\":\"CodeSystem\",\"url\":\"http://x/CodeSystem/no id here\"}"))),
                List.of());
        String tx = new String(plan.transaction(), StandardCharsets.UTF_8);
        assertTrue(tx.contains("\"url\":\"ValueSet/vs\""), tx);
        assertTrue(tx.matches(".*\"url\":\"CodeSystem/no-id-here-[0-9a-f]+\".*"), tx);
        assertTrue(tx.contains("\"url\":\"ImplementationGuide/package-example.a\""), tx);
        assertEquals(Map.of("ValueSet", 1, "CodeSystem", 1), plan.counts());
        PackageException twice = assertThrows(PackageException.class, () -> PackageInstallPlan.of(pkg(Map.of(),
                List.of(resource("{\"resourceType\":\"ValueSet\",\"id\":\"vs\"}"),
                        resource("{\"resourceType\":\"ValueSet\",\"id\":\"vs\"}"))), List.of()));
        assertTrue(twice.getMessage().contains("ValueSet/vs twice"), twice.getMessage());
    }

    @Test
    void anArchiveThatIsNotOneIsRefused() {
        PackageException e = assertThrows(PackageException.class,
                () -> FhirPackage.read("plain text".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("gzip"), e.getMessage());
    }
}
