package dev.fhirbolt.subscriptions;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.RequestBodies;
import dev.fhirbolt.rest.ResponseBody;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Parameters;

/**
 * {@code Subscription/[id]/$events} (backport): the events delivered to a topic-based subscription, again, from the
 * kept event log ({@link EventLog}): {@code eventsSinceNumber} and {@code eventsUntilNumber} (inclusive; default the
 * oldest kept and the last delivered), {@code content} ({@code empty}, {@code id-only}, {@code full-resource}; default
 * the subscription's). The answer is a history Bundle whose SubscriptionStatus has type {@code query-event}. Events
 * about resources the caller's token may not read are left out (a patient-scoped client never gets another patient's
 * resource), as are versions no longer stored.
 */
public final class EventsOperation extends SubscriptionOperation {

    /** At most this many events per call (the log keeps {@link EventLog#RETAINED} per subscription). */
    static final int MAX_EVENTS = EventLog.RETAINED;

    private final SubscriptionService service;
    private final Function<FhirRequest, Optional<Audience>> caller;

    /** {@code caller}: what the caller's token may read; empty when security is off. */
    public EventsOperation(SubscriptionService service, Function<FhirRequest, Optional<Audience>> caller) {
        super(service, "events",
                "http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-events");
        this.service = service;
        this.caller = caller;
    }

    @Override
    FhirResponse answer(FhirRequest request, SubscriptionSpec spec, long events) {
        if (!spec.topicBased()) {
            throw new FhirException(400, IssueType.NOT_SUPPORTED, "Subscription/" + spec.id()
                    + " is not topic-based: $events answers the event notifications of backport subscriptions");
        }
        Map<String, String> in = input(request);
        long since = number(in, "eventsSinceNumber", Math.max(1, events - MAX_EVENTS + 1));
        long until = number(in, "eventsUntilNumber", events);
        SubscriptionSpec.Content content = content(in.get("content"), spec.content());
        List<NotificationBundles.Event> list = until < since ? List.of()
                : service.events(spec.id(), since, Math.min(until, since + MAX_EVENTS - 1),
                        caller.apply(request).orElse(Audience.EVERYTHING));
        byte[] bundle = NotificationBundles.queryEvents(spec, request.baseUrl(), events, list, content);
        return FhirResponse.of(200, new ResponseBody.Raw(bundle, "application/fhir+json"));
    }

    /** The parameters from the query (GET) or a Parameters body (POST). */
    private static Map<String, String> input(FhirRequest request) {
        Map<String, String> in = new HashMap<>();
        for (String name : List.of("eventsSinceNumber", "eventsUntilNumber", "content")) {
            request.params().first(name).ifPresent(v -> in.put(name, v));
        }
        if ("POST".equals(request.method()) && request.hasBody()) {
            if (!(RequestBodies.read(request, "Parameters") instanceof Parameters p)) {
                throw new FhirException(400, IssueType.INVALID, "$events takes a Parameters resource");
            }
            for (Parameters.ParametersParameterComponent c : p.getParameter()) {
                if (c.hasValue() && c.getValue().isPrimitive()) {
                    in.put(c.getName(), c.getValue().primitiveValue());
                }
            }
        }
        return in;
    }

    private static long number(Map<String, String> in, String name, long otherwise) {
        String v = in.get(name);
        if (v == null || v.isBlank()) {
            return otherwise;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new FhirException(400, IssueType.INVALID, "$events: " + name + " must be a whole number >= 0, got '"
                    + v + "'");
        }
    }

    private static SubscriptionSpec.Content content(String code, SubscriptionSpec.Content otherwise) {
        if (code == null || code.isBlank()) {
            return otherwise;
        }
        for (SubscriptionSpec.Content c : SubscriptionSpec.Content.values()) {
            if (c.code().equals(code.trim())) {
                return c;
            }
        }
        throw new FhirException(400, IssueType.INVALID, "$events: content must be empty, id-only or full-resource, got '"
                + code + "'");
    }
}
