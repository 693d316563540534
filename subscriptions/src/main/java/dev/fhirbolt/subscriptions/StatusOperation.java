package dev.fhirbolt.subscriptions;

import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.ResponseBody;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Parameters;

/** {@code Subscription/[id]/$status}: the backport's SubscriptionStatus (type query-status) in a searchset Bundle. */
public final class StatusOperation extends SubscriptionOperation {

    public StatusOperation(SubscriptionService service) {
        super(service, "status",
                "http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-status");
    }

    @Override
    FhirResponse answer(FhirRequest request, SubscriptionSpec spec, long events) {
        Parameters status = NotificationBundles.status(spec, request.baseUrl(), "query-status", events);
        Bundle b = new Bundle().setType(Bundle.BundleType.SEARCHSET).setTotal(1);
        b.addEntry().setFullUrl("urn:uuid:" + status.getId()).setResource(status).getSearch()
                .setMode(Bundle.SearchEntryMode.MATCH);
        return FhirResponse.of(200, new ResponseBody.Model(b));
    }
}
