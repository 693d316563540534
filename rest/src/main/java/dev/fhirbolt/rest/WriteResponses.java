package dev.fhirbolt.rest;

import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.database.WriteOutcome;

/** The answer to a create, update, patch or delete: status, version headers and the body the client preferred. */
public final class WriteResponses {

    private WriteResponses() {
    }

    public static FhirResponse of(FhirRequest request, WriteOutcome outcome) {
        ResourceVersion v = outcome.version();
        return switch (outcome.kind()) {
            case CREATED -> withRepresentation(request, 201, v, "created " + v.type() + "/" + v.id());
            case UPDATED -> withRepresentation(request, 200, v, "updated " + v.type() + "/" + v.id());
            case DELETED, NOTHING_TO_DELETE -> deleted(request, outcome);
        };
    }

    public static FhirResponse withRepresentation(FhirRequest request, int status, ResourceVersion v, String message) {
        Prefer.Return preference = request.prefer().returnPreference().orElse(Prefer.Return.REPRESENTATION);
        ResponseBody body = switch (preference) {
            case MINIMAL -> ResponseBody.NONE;
            case REPRESENTATION -> new ResponseBody.Stored(v);
            case OPERATION_OUTCOME -> new ResponseBody.Model(OperationOutcomes.information(message));
        };
        return versionHeaders(FhirResponse.of(status, body), request, v);
    }

    public static FhirResponse versionHeaders(FhirResponse response, FhirRequest request, ResourceVersion v) {
        response.header("ETag", ETags.of(v.version()))
                .lastModified(v.lastUpdated())
                .header("Location", request.baseUrl() + "/" + v.type() + "/" + v.id() + "/_history/" + v.version());
        return response;
    }

    private static FhirResponse deleted(FhirRequest request, WriteOutcome outcome) {
        Prefer.Return preference = request.prefer().returnPreference().orElse(Prefer.Return.MINIMAL);
        String what = outcome.write().type() + "/" + outcome.write().id();
        FhirResponse response = preference == Prefer.Return.OPERATION_OUTCOME
                ? FhirResponse.of(200, new ResponseBody.Model(OperationOutcomes.information(
                        outcome.kind() == WriteOutcome.Kind.DELETED ? "deleted " + what
                                : what + " did not exist or was already deleted; nothing changed")))
                : FhirResponse.of(204, ResponseBody.NONE);
        if (outcome.kind() == WriteOutcome.Kind.DELETED) {
            response.header("ETag", ETags.of(outcome.version().version()));
        }
        return response;
    }
}
