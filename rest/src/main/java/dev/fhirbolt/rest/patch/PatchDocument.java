package dev.fhirbolt.rest.patch;

import dev.fhirbolt.database.ResourceVersion;
import org.hl7.fhir.r4.model.Resource;

/**
 * A parsed patch (JSON Patch or FHIRPath Patch), checked for syntax before anything is read, so applying it is the
 * only step that depends on the stored resource.
 */
public sealed interface PatchDocument permits JsonPatch, FhirPathPatch {

    /** The media type a client sends this format with (for messages and the CapabilityStatement). */
    String mediaType();

    /**
     * Applies the patch to a stored version and returns the result, strictly re-validated, with the same type and id.
     * Failures are 422s (cannot apply, test failed, result invalid) and change nothing.
     */
    Resource apply(ResourceVersion current);
}
