package dev.fhirbolt.rest;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.fhir.FhirFormat;
import dev.fhirbolt.fhir.ResourceReader;
import org.hl7.fhir.r4.model.Resource;

/** Reads the resource in a request body in the format its Content-Type names. */
public final class RequestBodies {

    /**
     * Request attribute holding a resource that was already parsed and validated (a Bundle entry's resource), so the
     * interaction uses it instead of parsing a body.
     */
    public static final String PARSED_RESOURCE = "fhirbolt.parsedResource";

    private RequestBodies() {
    }

    /** The already-parsed resource of a Bundle entry, if this request carries one. */
    public static java.util.Optional<Resource> parsed(FhirRequest request) {
        return request.attribute(PARSED_RESOURCE, Resource.class);
    }

    public static FhirFormat format(FhirRequest request) {
        String contentType = request.header("Content-Type").orElse(null);
        if (contentType == null) {
            return sniff(request.body());
        }
        return FhirFormat.fromMimeType(contentType).orElseThrow(() -> new FhirException(415,
                IssueType.NOT_SUPPORTED, "Content-Type '" + contentType
                + "' is not supported; send application/fhir+json or application/fhir+xml"));
    }

    /** Parses the body as a resource of {@code expectedType} (null accepts any type). */
    public static Resource read(FhirRequest request, String expectedType) {
        Resource resource = parsed(request).orElse(null);
        if (resource == null) {
            resource = ResourceReader.read(request.body(), format(request));
        }
        if (expectedType != null && !expectedType.equals(resource.fhirType())) {
            throw FhirException.invalid("the body is a " + resource.fhirType() + " but the URL names "
                    + expectedType);
        }
        return resource;
    }

    private static FhirFormat sniff(byte[] body) {
        if (body != null) {
            for (byte b : body) {
                if (!Character.isWhitespace(b)) {
                    return b == '<' ? FhirFormat.XML : FhirFormat.JSON;
                }
            }
        }
        return FhirFormat.JSON;
    }
}
