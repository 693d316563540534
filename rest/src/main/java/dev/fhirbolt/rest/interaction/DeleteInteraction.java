package dev.fhirbolt.rest.interaction;

import dev.fhirbolt.database.Commit;
import dev.fhirbolt.database.Expectation;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.Write;
import dev.fhirbolt.rest.ETags;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.GuardedCommit;
import dev.fhirbolt.rest.Interaction;
import dev.fhirbolt.rest.Route;
import dev.fhirbolt.rest.WriteGuard;
import dev.fhirbolt.rest.WriteResponses;
import java.util.OptionalLong;

/** DELETE [type]/[id]: records a deletion version; deleting what is absent changes nothing and succeeds. */
public final class DeleteInteraction implements Interaction {

    private final ResourceStore store;

    public DeleteInteraction(ResourceStore store) {
        this.store = store;
    }

    @Override
    public FhirResponse handle(FhirRequest request, Route route) {
        String type = route.requireType();
        String id = route.requireId();
        OptionalLong ifMatch = ETags.version(request.header("If-Match").orElse(null), "If-Match");
        WriteGuard guard = WriteGuard.of(request);
        if (guard == WriteGuard.NONE) {
            Write delete = Write.delete(type, id, Expectation.of(ifMatch));
            return WriteResponses.of(request, store.commit(Commit.of(delete)).get(0));
        }
        return WriteResponses.of(request, GuardedCommit.commit(store, type, id, ifMatch,
                () -> guard.checkDeletable(type, id), expectation -> Write.delete(type, id, expectation)));
    }
}
