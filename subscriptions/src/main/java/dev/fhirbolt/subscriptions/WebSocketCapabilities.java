package dev.fhirbolt.subscriptions;

import dev.fhirbolt.rest.CapabilityContributor;
import dev.fhirbolt.rest.FhirRequest;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.UriType;

/** Advertises the websocket endpoint (R4's capabilitystatement-websocket extension on rest). */
public final class WebSocketCapabilities implements CapabilityContributor {

    @Override
    public void contribute(CapabilityStatement statement, FhirRequest request) {
        if (!statement.hasRest()) {
            return;
        }
        statement.getRestFirstRep().addExtension(Backport.WEBSOCKET_EXTENSION,
                new UriType(WebSocketEndpoint.url(request.baseUrl())));
    }
}
