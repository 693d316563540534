package dev.fhirbolt.subscriptions;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.Operation;
import dev.fhirbolt.rest.ResponseBody;
import dev.fhirbolt.rest.Route;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Parameters;

/** {@code Subscription/[id]/$status}: the backport's SubscriptionStatus (type query-status) in a searchset Bundle. */
public final class StatusOperation implements Operation {

    private final SubscriptionService service;

    public StatusOperation(SubscriptionService service) {
        this.service = service;
    }

    @Override
    public String name() {
        return "status";
    }

    @Override
    public Set<String> types() {
        return Set.of("Subscription");
    }

    @Override
    public Set<Level> levels() {
        return Set.of(Level.INSTANCE);
    }

    @Override
    public String definition() {
        return "http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-status";
    }

    @Override
    public FhirResponse handle(FhirRequest request, Route route) {
        String id = route.requireId();
        Map.Entry<SubscriptionSpec, Long> found = service.status(id).orElseThrow(() -> new FhirException(404,
                IssueType.NOT_FOUND, "Subscription/" + id + " is not known or cannot be delivered"));
        Parameters status = NotificationBundles.status(found.getKey(), request.baseUrl(), "query-status",
                found.getValue());
        Bundle b = new Bundle().setType(Bundle.BundleType.SEARCHSET).setTotal(1);
        b.addEntry().setFullUrl("urn:uuid:" + status.getId()).setResource(status).getSearch()
                .setMode(Bundle.SearchEntryMode.MATCH);
        return FhirResponse.of(200, new ResponseBody.Model(b));
    }
}
