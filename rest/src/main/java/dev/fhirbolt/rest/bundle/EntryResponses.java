package dev.fhirbolt.rest.bundle;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.fhir.RenderOptions;
import dev.fhirbolt.fhir.StampableJson;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.OperationOutcomes;
import dev.fhirbolt.rest.ResponseBody;
import java.util.Optional;

/** Turns an interaction's answer into a batch-response / transaction-response entry. */
final class EntryResponses {

    private EntryResponses() {
    }

    static BundleContent.Entry of(FhirResponse response) {
        Optional<ResponseBody> resource = Optional.empty();
        Optional<ResponseBody> outcome = Optional.empty();
        ResponseBody body = response.body();
        switch (body) {
            case ResponseBody.Stored s -> resource = Optional.of(s);
            case ResponseBody.Model m -> {
                if (m.resource() instanceof org.hl7.fhir.r4.model.OperationOutcome) {
                    outcome = Optional.of(m);
                } else {
                    resource = Optional.of(m);
                }
            }
            case ResponseBody.Bundle b -> resource = Optional.of(new ResponseBody.Model(
                    BundleRenderer.toModel(b.content(), RenderOptions.COMPACT_JSON)));
            default -> {
            }
        }
        Optional<String> lastModified = body instanceof ResponseBody.Stored s
                ? Optional.of(StampableJson.formatInstant(s.version().lastUpdated()))
                : response.lastModified().map(StampableJson::formatInstant);
        var entryResponse = new BundleContent.EntryResponse(StatusLines.of(response.status()),
                Optional.ofNullable(response.headers().get("Location")),
                Optional.ofNullable(response.headers().get("ETag")), lastModified, outcome);
        return new BundleContent.Entry(Optional.empty(), resource, Optional.empty(), Optional.empty(),
                Optional.of(entryResponse));
    }

    static BundleContent.Entry error(FhirException e) {
        return of(OperationOutcomes.response(e));
    }
}
