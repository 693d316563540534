package dev.fhirbolt.subscriptions;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.ResponseBody;
import java.util.Date;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.UrlType;

/**
 * {@code Subscription/[id]/$get-ws-binding-token} (backport): a token for {@code bind-with-token} on the websocket
 * endpoint. Whoever may call operations on the Subscription (the authorization filter decides) may bind to it.
 */
public final class BindingTokenOperation extends SubscriptionOperation {

    private final BindingTokens tokens;

    public BindingTokenOperation(SubscriptionService service, BindingTokens tokens) {
        super(service, "get-ws-binding-token", "http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/"
                + "backport-subscription-get-ws-binding-token");
        this.tokens = tokens;
    }

    @Override
    FhirResponse answer(FhirRequest request, SubscriptionSpec spec, long events) {
        if (spec.channel() != SubscriptionSpec.ChannelType.WEBSOCKET) {
            throw new FhirException(400, IssueType.INVALID, "Subscription/" + spec.id() + " does not use a websocket");
        }
        BindingTokens.Issued grant = tokens.issue(spec.id());
        Parameters p = new Parameters();
        p.addParameter().setName("token").setValue(new StringType(grant.token()));
        p.addParameter().setName("expiration").setValue(new DateTimeType(Date.from(grant.expires())));
        p.addParameter().setName("subscription").setValue(new StringType(spec.id()));
        p.addParameter().setName("websocket-url").setValue(new UrlType(WebSocketEndpoint.url(request.baseUrl())));
        return FhirResponse.of(200, new ResponseBody.Model(p));
    }
}
