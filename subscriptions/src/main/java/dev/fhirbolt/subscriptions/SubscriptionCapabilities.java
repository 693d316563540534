package dev.fhirbolt.subscriptions;

import dev.fhirbolt.rest.CapabilityContributor;
import dev.fhirbolt.rest.FhirRequest;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.UriType;

/**
 * What the CapabilityStatement says about subscriptions: the websocket endpoint (R4's capabilitystatement-websocket
 * extension on rest) and, as the R5 Backport IG has R4 servers advertise their topics, the backport Subscription
 * profile and one {@code capabilitystatement-subscriptiontopic-canonical} extension per built-in topic on the
 * Subscription resource (a topic per resource type the statement lists, Subscription aside).
 */
public final class SubscriptionCapabilities implements CapabilityContributor {

    @Override
    public void contribute(CapabilityStatement statement, FhirRequest request) {
        if (!statement.hasRest()) {
            return;
        }
        CapabilityStatement.CapabilityStatementRestComponent rest = statement.getRestFirstRep();
        rest.addExtension(Backport.WEBSOCKET_EXTENSION, new UriType(WebSocketEndpoint.url(request.baseUrl())));
        CapabilityStatementRestResourceComponent subscription = rest.getResource().stream()
                .filter(r -> "Subscription".equals(r.getType())).findFirst().orElse(null);
        if (subscription == null) {
            return;
        }
        if (subscription.getSupportedProfile().stream().noneMatch(p -> Backport.SUBSCRIPTION_PROFILE.equals(
                p.getValue()))) {
            subscription.addSupportedProfile(Backport.SUBSCRIPTION_PROFILE);
        }
        for (CapabilityStatementRestResourceComponent r : rest.getResource()) {
            if (r.hasType() && !"Subscription".equals(r.getType())) {
                subscription.addExtension(Backport.TOPIC_CANONICAL_EXTENSION,
                        new CanonicalType(Backport.TOPIC_BASE + r.getType()));
            }
        }
    }
}
