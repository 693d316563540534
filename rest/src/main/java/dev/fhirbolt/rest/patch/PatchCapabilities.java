package dev.fhirbolt.rest.patch;

import dev.fhirbolt.rest.CapabilityContributor;
import dev.fhirbolt.rest.FhirRequest;
import org.hl7.fhir.r4.model.CapabilityStatement;

/** Declares the patch formats: JSON Patch, and FHIRPath Patch in both FHIR formats. */
public final class PatchCapabilities implements CapabilityContributor {

    @Override
    public void contribute(CapabilityStatement statement, FhirRequest request) {
        statement.addPatchFormat(JsonPatch.MEDIA_TYPE);
        statement.addPatchFormat("application/fhir+json");
        statement.addPatchFormat("application/fhir+xml");
    }
}
