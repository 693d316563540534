package dev.fhirbolt.rest.patch;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.fhir.FhirFormat;
import dev.fhirbolt.fhir.ResourceReader;
import org.hl7.fhir.r4.model.Resource;

/** The checks every patched resource passes before it may be stored. */
final class PatchResults {

    private PatchResults() {
    }

    /** Strictly re-parses the patched JSON; the type and id must be those of the resource patched. */
    static Resource validate(byte[] json, ResourceVersion current) {
        Resource patched;
        try {
            patched = ResourceReader.read(json, FhirFormat.JSON);
        } catch (FhirException e) {
            throw new FhirException(422, IssueType.INVALID, "the patch would make " + current.type() + "/"
                    + current.id() + " invalid, so nothing was changed: " + e.getMessage(), null, e);
        }
        return checkIdentity(patched, current);
    }

    static Resource checkIdentity(Resource patched, ResourceVersion current) {
        if (!patched.fhirType().equals(current.type())) {
            throw new FhirException(422, IssueType.INVALID, "a patch cannot change the resource type ("
                    + current.type() + " became " + patched.fhirType() + ")");
        }
        String id = patched.hasIdElement() ? patched.getIdElement().getIdPart() : null;
        if (!current.id().equals(id)) {
            throw new FhirException(422, IssueType.INVALID, "a patch cannot change or remove the resource id ("
                    + current.id() + (id == null ? " was removed)" : " became " + id + ")"));
        }
        return patched;
    }
}
