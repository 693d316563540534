package dev.fhirbolt.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fhirbolt.fhir.FhirFormat;
import dev.fhirbolt.fhir.ResourceReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceFactoryTest {

    @Test
    void everyGeneratedResourcePassesTheServersStrictParser() {
        Call[] calls = CreateScenario.bodies(new ResourceFactory(7), List.of("Patient/a", "Patient/b"), 300);
        int patients = 0;
        for (Call call : calls) {
            var resource = ResourceReader.read(call.body(), FhirFormat.JSON);
            assertEquals(call.path(), resource.fhirType());
            assertEquals(201, call.expectedStatus());
            patients += call.path().equals("Patient") ? 1 : 0;
        }
        assertEquals(90, patients); // 3 in 10
    }

    @Test
    void theSameSeedGivesTheSameResources() {
        Call[] a = CreateScenario.bodies(new ResourceFactory(42), List.of("Patient/x"), 50);
        Call[] b = CreateScenario.bodies(new ResourceFactory(42), List.of("Patient/x"), 50);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i].body(), b[i].body());
        }
    }
}
