package dev.fhirbolt.subscriptions;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.Operation;
import dev.fhirbolt.rest.Route;
import java.util.Map;
import java.util.Set;

/**
 * An operation on one Subscription ({@code Subscription/[id]/$name}) that this server knows how to deliver: the
 * subscription's spec and the events delivered so far are looked up once (404 when it is unknown or cannot be
 * delivered), the operation answers from them.
 */
abstract class SubscriptionOperation implements Operation {

    private final SubscriptionService service;
    private final String name;
    private final String definition;

    SubscriptionOperation(SubscriptionService service, String name, String definition) {
        this.service = service;
        this.name = name;
        this.definition = definition;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Set<String> types() {
        return Set.of("Subscription");
    }

    @Override
    public final Set<Level> levels() {
        return Set.of(Level.INSTANCE);
    }

    @Override
    public final String definition() {
        return definition;
    }

    @Override
    public final FhirResponse handle(FhirRequest request, Route route) {
        String id = route.requireId();
        Map.Entry<SubscriptionSpec, Long> found = service.status(id).orElseThrow(() -> new FhirException(404,
                IssueType.NOT_FOUND, "Subscription/" + id + " is not known or cannot be delivered"));
        return answer(request, found.getKey(), found.getValue());
    }

    /** The answer for the subscription {@code spec}, {@code events} event notifications delivered so far. */
    abstract FhirResponse answer(FhirRequest request, SubscriptionSpec spec, long events);
}
