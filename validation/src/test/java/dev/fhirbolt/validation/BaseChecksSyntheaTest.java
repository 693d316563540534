package dev.fhirbolt.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/**
 * Synthea data passes base unchanged, invariants included, and base stays cheap. The data are the app module's
 * fixtures; {@code -Dfhirbolt.synthea=DIR} checks another folder of Synthea bundles (e.g. a larger generated set).
 */
class BaseChecksSyntheaTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void syntheaPassesBaseWithInvariants() throws IOException {
        List<Resource> resources = resources(Path.of(System.getProperty("fhirbolt.synthea",
                "../app/src/test/resources/synthea")));
        assertTrue(resources.size() > 500, "fixtures: " + resources.size());
        BaseChecks checks = BaseChecks.core();
        long failures = Invariants.get().failures();
        for (Resource r : resources) {
            ValidationReport report = checks.check(r);
            assertEquals(List.of(), report.issues(), r.fhirType() + "/" + r.getIdPart());
        }
        assertEquals(failures, Invariants.get().failures(), "invariants the engine could not evaluate");
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 50; round++) {
            long start = System.nanoTime();
            for (Resource r : resources) {
                checks.check(r);
            }
            best = Math.min(best, System.nanoTime() - start);
        }
        System.out.printf("base checks: %d resources, best round %.2f us per resource%n", resources.size(),
                best / 1000.0 / resources.size());
    }

    private static List<Resource> resources(Path dir) throws IOException {
        List<Resource> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, Files.readString(file));
                bundle.getEntry().forEach(e -> out.add(e.getResource()));
            }
        }
        return out;
    }
}
