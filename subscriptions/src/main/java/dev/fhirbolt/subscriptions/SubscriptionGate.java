package dev.fhirbolt.subscriptions;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.fhir.Fhir;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.InteractionFilter;
import dev.fhirbolt.rest.InteractionKind;
import dev.fhirbolt.rest.RequestBodies;
import dev.fhirbolt.rest.Route;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;

/**
 * Checks Subscriptions as they are written: criteria and channel are validated (400 OperationOutcome), the status a
 * client writes becomes {@code requested} (the server moves it to active or error; {@code off} stays off), and the
 * creator's read grants are recorded on the resource (replacing any a client sent) so that delivery never sends what
 * that token could not read. PATCH, and Subscriptions inside transactions, are refused: they would bypass this.
 */
public final class SubscriptionGate implements InteractionFilter {

    private final SubscriptionReader reader;
    private final Function<FhirRequest, Optional<Audience>> audience;

    /** {@code audience}: the caller's read grants; empty when security is off (nothing recorded). */
    public SubscriptionGate(SubscriptionReader reader, Function<FhirRequest, Optional<Audience>> audience) {
        this.reader = reader;
        this.audience = audience;
    }

    @Override
    public FhirResponse handle(FhirRequest request, Route route, Next next) {
        if (!route.type().map("Subscription"::equals).orElse(false)) {
            return next.handle(request, route);
        }
        return switch (route.kind()) {
            case CREATE, UPDATE, CONDITIONAL_UPDATE -> next.handle(checked(request), route);
            case PATCH, CONDITIONAL_PATCH -> throw new FhirException(400, IssueType.NOT_SUPPORTED,
                    "a Subscription cannot be patched: update it with PUT (its criteria are checked then)");
            default -> next.handle(request, route);
        };
    }

    @Override
    public void checkWrite(FhirRequest request, Route route, Resource resource) {
        if (resource instanceof Subscription || route.type().map("Subscription"::equals).orElse(false)
                && route.kind() != InteractionKind.DELETE) {
            throw new FhirException(400, IssueType.NOT_SUPPORTED,
                    "write Subscriptions one at a time (POST or PUT), not inside a transaction");
        }
    }

    private FhirRequest checked(FhirRequest request) {
        Resource resource = RequestBodies.read(request, "Subscription");
        Subscription s = (Subscription) resource;
        reader.read(s, 0);
        if (s.getStatus() != Subscription.SubscriptionStatus.OFF) {
            s.setStatus(Subscription.SubscriptionStatus.REQUESTED);
            s.setError(null);
        }
        s.getExtension().removeIf(e -> Backport.REACH.equals(e.getUrl()));
        Optional<Audience> who = audience.apply(request);
        who.ifPresent(a -> {
            for (Audience.Reach r : a.reaches()) {
                s.addExtension(Backport.REACH, new StringType(r.encode()));
            }
        });
        byte[] json = Fhir.context().newJsonParser().encodeResourceToString(s).getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> headers = new HashMap<>(request.headers());
        headers.put("Content-Type", List.of("application/fhir+json"));
        headers.remove("Content-Encoding");
        Map<String, Object> attributes = new HashMap<>(request.attributes());
        attributes.remove(RequestBodies.PARSED_RESOURCE);
        return new FhirRequest(request.method(), request.path(), request.params(), headers, json,
                request.baseUrl(), request.remoteAddress(), attributes);
    }
}
