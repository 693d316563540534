package dev.fhirbolt.subscriptions;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.Operation;
import dev.fhirbolt.rest.ResponseBody;
import dev.fhirbolt.rest.Route;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.UrlType;

/**
 * {@code Subscription/[id]/$get-ws-binding-token} (backport): a token for {@code bind-with-token} on the websocket
 * endpoint. Whoever may call operations on the Subscription (the authorization filter decides) may bind to it.
 */
public final class BindingTokenOperation implements Operation {

    private final SubscriptionService service;
    private final BindingTokens tokens;

    public BindingTokenOperation(SubscriptionService service, BindingTokens tokens) {
        this.service = service;
        this.tokens = tokens;
    }

    @Override
    public String name() {
        return "get-ws-binding-token";
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
        return "http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/"
                + "backport-subscription-get-ws-binding-token";
    }

    @Override
    public FhirResponse handle(FhirRequest request, Route route) {
        String id = route.requireId();
        Map.Entry<SubscriptionSpec, Long> found = service.status(id).orElseThrow(() -> new FhirException(404,
                IssueType.NOT_FOUND, "Subscription/" + id + " is not known or cannot be delivered"));
        if (found.getKey().channel() != SubscriptionSpec.ChannelType.WEBSOCKET) {
            throw new FhirException(400, IssueType.INVALID, "Subscription/" + id + " does not use a websocket");
        }
        BindingTokens.Issued grant = tokens.issue(id);
        String token = grant.token();
        Parameters p = new Parameters();
        p.addParameter().setName("token").setValue(new StringType(token));
        p.addParameter().setName("expiration").setValue(new DateTimeType(Date.from(grant.expires())));
        p.addParameter().setName("subscription").setValue(new StringType(id));
        p.addParameter().setName("websocket-url").setValue(new UrlType(WebSocketEndpoint.url(request.baseUrl())));
        return FhirResponse.of(200, new ResponseBody.Model(p));
    }
}
