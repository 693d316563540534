package dev.fhirbolt.rest.interaction;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.database.Commit;
import dev.fhirbolt.database.Expectation;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.WriteMethod;
import dev.fhirbolt.rest.ETags;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.GuardedCommit;
import dev.fhirbolt.rest.InteractionKind;
import dev.fhirbolt.rest.Interaction;
import dev.fhirbolt.rest.RequestBodies;
import dev.fhirbolt.rest.Route;
import dev.fhirbolt.rest.WriteResponses;
import dev.fhirbolt.rest.WriteGuard;
import dev.fhirbolt.rest.Writes;
import java.util.OptionalLong;
import org.hl7.fhir.r4.model.Resource;

/** PUT [type]/[id]: update, or create with the client's id; If-Match guards against lost updates. */
public final class UpdateInteraction implements Interaction {

    private final ResourceStore store;
    private final Writes writes;

    public UpdateInteraction(ResourceStore store, Writes writes) {
        this.store = store;
        this.writes = writes;
    }

    @Override
    public FhirResponse handle(FhirRequest request, Route route) {
        String type = route.requireType();
        String id = route.requireId();
        Resource resource = RequestBodies.read(request, type);
        requireMatchingId(resource, id);
        OptionalLong ifMatch = ETags.version(request.header("If-Match").orElse(null), "If-Match");
        WriteGuard guard = WriteGuard.of(request);
        if (guard == WriteGuard.NONE) {
            var write = writes.write(WriteMethod.UPDATE, type, id, resource, Expectation.of(ifMatch));
            return WriteResponses.of(request, store.commit(Commit.of(write)).get(0));
        }
        return WriteResponses.of(request, GuardedCommit.commit(store, type, id, ifMatch,
                () -> guard.checkStored(InteractionKind.UPDATE, type, id, resource),
                expectation -> writes.write(WriteMethod.UPDATE, type, id, resource, expectation)));
    }

    static void requireMatchingId(Resource resource, String id) {
        if (!resource.hasIdElement() || resource.getIdElement().getIdPart() == null) {
            throw FhirException.invalid("an update needs the resource id in the body; it must be '" + id + "'");
        }
        String bodyId = resource.getIdElement().getIdPart();
        if (!bodyId.equals(id)) {
            throw FhirException.invalid("the body's id '" + bodyId + "' does not match the URL's id '" + id + "'");
        }
    }
}
