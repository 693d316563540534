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
import dev.fhirbolt.rest.integrity.DeleteGuard;
import java.util.OptionalLong;

/** DELETE [type]/[id]: records a deletion version; deleting what is absent changes nothing and succeeds. */
public final class DeleteInteraction implements Interaction {

    private final ResourceStore store;
    private final java.util.Optional<DeleteGuard> integrity;

    public DeleteInteraction(ResourceStore store) {
        this(store, java.util.Optional.empty());
    }

    /** With referential integrity: a referenced resource is kept (409) unless {@code _cascade=delete}. */
    public DeleteInteraction(ResourceStore store, java.util.Optional<DeleteGuard> integrity) {
        this.store = store;
        this.integrity = integrity;
    }

    @Override
    public FhirResponse handle(FhirRequest request, Route route) {
        String type = route.requireType();
        String id = route.requireId();
        OptionalLong ifMatch = ETags.version(request.header("If-Match").orElse(null), "If-Match");
        WriteGuard guard = WriteGuard.of(request);
        if (integrity.isPresent()) {
            String cascade = request.params().first("_cascade").orElse(null);
            if (cascade != null && !cascade.equals("delete")) {
                throw dev.fhirbolt.common.FhirException.invalid("_cascade must be 'delete', got '" + cascade + "'");
            }
            if (cascade != null) {
                return cascade(request, type, id, ifMatch, integrity.get().cascade(type, id));
            }
            if (store.readCurrent(type, id).filter(v -> !v.deleted()).isPresent()) {
                integrity.get().checkDeletable(type, id);
            }
        }
        if (guard == WriteGuard.NONE) {
            Write delete = Write.delete(type, id, Expectation.of(ifMatch));
            return WriteResponses.of(request, store.commit(Commit.of(delete)).get(0));
        }
        return WriteResponses.of(request, GuardedCommit.commit(store, type, id, ifMatch,
                () -> guard.checkDeletable(type, id), expectation -> Write.delete(type, id, expectation)));
    }

    private FhirResponse cascade(FhirRequest request, String type, String id, OptionalLong ifMatch,
            java.util.Set<String> referrers) {
        java.util.List<Write> writes = new java.util.ArrayList<>();
        writes.add(Write.delete(type, id, Expectation.of(ifMatch)));
        for (String r : referrers) {
            int slash = r.indexOf('/');
            writes.add(Write.delete(r.substring(0, slash), r.substring(slash + 1), Expectation.ANY));
        }
        return WriteResponses.of(request, store.commit(new Commit(writes)).get(0));
    }
}
