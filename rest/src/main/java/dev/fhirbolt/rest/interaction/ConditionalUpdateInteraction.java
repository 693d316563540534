package dev.fhirbolt.rest.interaction;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.database.Commit;
import dev.fhirbolt.database.CommitPlanner;
import dev.fhirbolt.database.Expectation;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.WriteMethod;
import dev.fhirbolt.rest.ETags;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.IdGenerator;
import dev.fhirbolt.rest.Interaction;
import dev.fhirbolt.rest.RequestBodies;
import dev.fhirbolt.rest.ResourceMatcher;
import dev.fhirbolt.rest.Route;
import dev.fhirbolt.rest.Router;
import dev.fhirbolt.rest.WriteResponses;
import dev.fhirbolt.rest.WriteGuard;
import dev.fhirbolt.rest.Writes;
import java.util.List;
import org.hl7.fhir.r4.model.Resource;

/** PUT [type]?criteria: no match creates, one match updates it, several answer 412. */
public final class ConditionalUpdateInteraction implements Interaction {

    private final ResourceStore store;
    private final Writes writes;
    private final ResourceMatcher matcher;

    public ConditionalUpdateInteraction(ResourceStore store, Writes writes, ResourceMatcher matcher) {
        this.store = store;
        this.writes = writes;
        this.matcher = matcher;
    }

    @Override
    public FhirResponse handle(FhirRequest request, Route route) {
        String type = route.requireType();
        Resource resource = RequestBodies.read(request, type);
        String bodyId = resource.hasIdElement() ? resource.getIdElement().getIdPart() : null;
        if (bodyId != null && !Router.isValidId(bodyId)) {
            throw FhirException.invalid("'" + bodyId + "' is not a valid FHIR id");
        }
        Expectation expectation = Expectation.of(ETags.version(request.header("If-Match").orElse(null), "If-Match"));
        WriteGuard guard = WriteGuard.of(request);
        var result = store.commitExclusively(() -> {
            List<String> ids = Conditions.match(guard.matcher(route.kind(), matcher), type, request.params(), 2,
                    "a conditional update");
            if (ids.size() > 1) {
                throw FhirException.preconditionFailed("the criteria matched more than one " + type
                        + "; a conditional update needs exactly one or none");
            }
            String id;
            if (ids.isEmpty()) {
                id = bodyId != null ? bodyId : IdGenerator.next();
            } else {
                id = ids.get(0);
                if (bodyId != null && !bodyId.equals(id)) {
                    throw FhirException.invalid("the criteria matched " + type + "/" + id
                            + " but the body's id is '" + bodyId + "'");
                }
            }
            guard.checkStored(route.kind(), type, id, resource);
            return new CommitPlanner.Plan<>(Commit.of(writes.write(WriteMethod.UPDATE, type, id, resource,
                    expectation)), null);
        });
        return WriteResponses.of(request, result.outcomes().get(0));
    }
}
