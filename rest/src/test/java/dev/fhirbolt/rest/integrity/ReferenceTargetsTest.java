package dev.fhirbolt.rest.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ReferenceTargetsTest {

    @Test
    void onlyRelativeReferencesToResourceTypesAreChecked() {
        assertEquals("Patient/1", ReferenceTargets.localTarget("Patient/1"));
        assertEquals("Patient/1", ReferenceTargets.localTarget("Patient/1/_history/3"));
        assertNull(ReferenceTargets.localTarget("#contained"));
        assertNull(ReferenceTargets.localTarget("urn:uuid:6d1b7f2e-0000-4000-8000-000000000001"));
        assertNull(ReferenceTargets.localTarget("https://elsewhere.example/Patient/1"));
        assertNull(ReferenceTargets.localTarget("Patient?identifier=x|1"));
        assertNull(ReferenceTargets.localTarget("NotAType/1"));
        assertNull(ReferenceTargets.localTarget("Patient/"));
        assertNull(ReferenceTargets.localTarget("Patient/1/2"));
    }
}
