package dev.fhirbolt.rest.interaction;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.database.CommitPlanner;
import dev.fhirbolt.database.Commit;
import dev.fhirbolt.database.Expectation;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.database.Write;
import dev.fhirbolt.database.WriteMethod;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.IdGenerator;
import dev.fhirbolt.rest.Interaction;
import dev.fhirbolt.rest.InteractionKind;
import dev.fhirbolt.rest.RequestBodies;
import dev.fhirbolt.rest.ResourceMatcher;
import dev.fhirbolt.rest.Route;
import dev.fhirbolt.rest.WriteResponses;
import dev.fhirbolt.rest.WriteGuard;
import dev.fhirbolt.rest.Writes;
import java.util.List;
import org.hl7.fhir.r4.model.Resource;

/** POST [type], with a server-assigned id; If-None-Exist makes it conditional. */
public final class CreateInteraction implements Interaction {

    private final ResourceStore store;
    private final Writes writes;
    private final ResourceMatcher matcher;

    public CreateInteraction(ResourceStore store, Writes writes, ResourceMatcher matcher) {
        this.store = store;
        this.writes = writes;
        this.matcher = matcher;
    }

    @Override
    public FhirResponse handle(FhirRequest request, Route route) {
        String type = route.requireType();
        Resource resource = RequestBodies.read(request, type);
        Write write = writes.write(WriteMethod.CREATE, type, IdGenerator.next(), resource, Expectation.ABSENT);
        var ifNoneExist = request.header("If-None-Exist");
        if (ifNoneExist.isEmpty()) {
            return WriteResponses.of(request, store.commit(Commit.of(write)).get(0));
        }
        var criteria = Conditions.ifNoneExist(ifNoneExist.get());
        var result = store.commitExclusively(() -> {
            List<String> ids = Conditions.match(WriteGuard.of(request).matcher(InteractionKind.CREATE, matcher), type,
                    criteria, 2, "If-None-Exist");
            if (ids.size() > 1) {
                throw FhirException.preconditionFailed("If-None-Exist matched more than one " + type
                        + "; make the criteria more selective");
            }
            if (ids.size() == 1) {
                return new CommitPlanner.Plan<>(new Commit(List.of()), ids.get(0));
            }
            return new CommitPlanner.Plan<>(Commit.of(write), (String) null);
        });
        if (result.payload() != null) {
            ResourceVersion existing = store.readCurrent(type, result.payload()).orElseThrow();
            return WriteResponses.withRepresentation(request, 200, existing,
                    "If-None-Exist matched " + type + "/" + existing.id() + "; nothing was created");
        }
        return WriteResponses.of(request, result.outcomes().get(0));
    }
}
