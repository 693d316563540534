package dev.fhirbolt.rest.interaction;

import dev.fhirbolt.database.Commit;
import dev.fhirbolt.database.Expectation;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.Write;
import dev.fhirbolt.rest.ETags;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.Interaction;
import dev.fhirbolt.rest.Route;
import dev.fhirbolt.rest.WriteResponses;

/** DELETE [type]/[id]: records a deletion version; deleting what is absent changes nothing and succeeds. */
public final class DeleteInteraction implements Interaction {

    private final ResourceStore store;

    public DeleteInteraction(ResourceStore store) {
        this.store = store;
    }

    @Override
    public FhirResponse handle(FhirRequest request, Route route) {
        Expectation expectation = Expectation.of(ETags.version(request.header("If-Match").orElse(null), "If-Match"));
        Write delete = Write.delete(route.requireType(), route.requireId(), expectation);
        return WriteResponses.of(request, store.commit(Commit.of(delete)).get(0));
    }
}
