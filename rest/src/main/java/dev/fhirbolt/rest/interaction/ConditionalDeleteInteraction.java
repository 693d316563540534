package dev.fhirbolt.rest.interaction;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.database.Commit;
import dev.fhirbolt.database.CommitPlanner;
import dev.fhirbolt.database.Expectation;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.Write;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.Interaction;
import dev.fhirbolt.rest.OperationOutcomes;
import dev.fhirbolt.rest.ResourceMatcher;
import dev.fhirbolt.rest.ResponseBody;
import dev.fhirbolt.rest.Route;
import dev.fhirbolt.rest.WriteGuard;
import java.util.List;

/**
 * DELETE [type]?criteria. One match is deleted; several are deleted together when the server allows multiple
 * deletes (up to {@code maxMultiple}), else 412.
 */
public final class ConditionalDeleteInteraction implements Interaction {

    private final ResourceStore store;
    private final ResourceMatcher matcher;
    private final int maxMultiple;

    public ConditionalDeleteInteraction(ResourceStore store, ResourceMatcher matcher, int maxMultiple) {
        this.store = store;
        this.matcher = matcher;
        this.maxMultiple = maxMultiple;
    }

    @Override
    public FhirResponse handle(FhirRequest request, Route route) {
        String type = route.requireType();
        var result = store.commitExclusively(() -> {
            int limit = Math.max(1, maxMultiple);
            List<String> ids = Conditions.match(WriteGuard.of(request).matcher(route.kind(), matcher), type,
                    request.params(), limit + 1, "a conditional delete");
            if (ids.size() > 1 && maxMultiple <= 1) {
                throw FhirException.preconditionFailed("the criteria matched more than one " + type
                        + " and this server deletes only one at a time");
            }
            if (ids.size() > limit) {
                throw FhirException.preconditionFailed("the criteria matched more than " + limit + " " + type
                        + " resources; narrow them down");
            }
            List<Write> deletes = ids.stream().map(id -> Write.delete(type, id, Expectation.ANY)).toList();
            return new CommitPlanner.Plan<>(new Commit(deletes), ids.size());
        });
        int count = result.payload();
        if (request.prefer().returnPreference().orElse(null) == dev.fhirbolt.rest.Prefer.Return.OPERATION_OUTCOME
                || count == 0) {
            return FhirResponse.of(200, new ResponseBody.Model(OperationOutcomes.information(count == 0
                    ? "no " + type + " matched; nothing was deleted" : "deleted " + count + " " + type)));
        }
        return FhirResponse.of(204, ResponseBody.NONE);
    }
}
