package dev.fhirbolt.rest.patch;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.RequestBodies;
import java.util.Locale;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Resource;

/** Reads a patch document from a request body or from a Bundle entry's resource. */
public final class Patches {

    private Patches() {
    }

    /**
     * {@code application/json-patch+json} is JSON Patch; a FHIR format (JSON or XML) must hold a Parameters resource,
     * which is FHIRPath Patch.
     */
    public static PatchDocument read(FhirRequest request) {
        var parsed = RequestBodies.parsed(request);
        if (parsed.isPresent()) {
            return fromResource(parsed.get());
        }
        String contentType = request.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (contentType.startsWith(JsonPatch.MEDIA_TYPE)) {
            return JsonPatch.parse(request.body());
        }
        if (contentType.isEmpty()) {
            throw new FhirException(415, IssueType.NOT_SUPPORTED, "a PATCH needs a Content-Type: "
                    + JsonPatch.MEDIA_TYPE + " for JSON Patch, or application/fhir+json / application/fhir+xml"
                    + " with a Parameters resource for FHIRPath Patch");
        }
        Resource resource = RequestBodies.read(request, null);
        return fromResource(resource);
    }

    /** A Bundle entry's patch: a Binary holding JSON Patch, or Parameters holding FHIRPath Patch. */
    public static PatchDocument fromResource(Resource resource) {
        if (resource instanceof Parameters parameters) {
            return FhirPathPatch.of(parameters);
        }
        if (resource instanceof Binary binary) {
            String type = binary.getContentType() == null ? "" : binary.getContentType().toLowerCase(Locale.ROOT);
            if (!type.startsWith(JsonPatch.MEDIA_TYPE)) {
                throw FhirException.invalid("a PATCH Binary must have contentType " + JsonPatch.MEDIA_TYPE
                        + ", not '" + binary.getContentType() + "'");
            }
            return JsonPatch.parse(binary.getData());
        }
        throw FhirException.invalid("a PATCH body must be a JSON Patch document or a Parameters resource"
                + " (FHIRPath Patch), not a " + resource.fhirType());
    }
}
