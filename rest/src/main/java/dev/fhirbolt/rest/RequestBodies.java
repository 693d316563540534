package dev.fhirbolt.rest;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.fhir.FhirFormat;
import dev.fhirbolt.fhir.ResourceReader;
import org.hl7.fhir.r4.model.Resource;

/** Reads the resource in a request body in the format its Content-Type names. */
public final class RequestBodies {

    private RequestBodies() {
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
        Resource resource = ResourceReader.read(request.body(), format(request));
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
