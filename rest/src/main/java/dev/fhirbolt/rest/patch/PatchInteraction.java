package dev.fhirbolt.rest.patch;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.database.Commit;
import dev.fhirbolt.database.CommitPlanner;
import dev.fhirbolt.database.Expectation;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.database.WriteMethod;
import dev.fhirbolt.database.WriteOutcome;
import dev.fhirbolt.rest.ETags;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.Interaction;
import dev.fhirbolt.rest.InteractionKind;
import dev.fhirbolt.rest.Params;
import dev.fhirbolt.rest.ResourceMatcher;
import dev.fhirbolt.rest.Route;
import dev.fhirbolt.rest.GuardedCommit;
import dev.fhirbolt.rest.WriteGuard;
import dev.fhirbolt.rest.WriteResponses;
import dev.fhirbolt.rest.Writes;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.hl7.fhir.r4.model.Resource;

/**
 * PATCH [type]/[id] and PATCH [type]?criteria with JSON Patch or FHIRPath Patch. The patch applies to the current
 * version and the write expects that very version, so a concurrent update is never lost: without If-Match the patch
 * is simply reapplied to the newer version; with If-Match a mismatch is a 412.
 */
public final class PatchInteraction implements Interaction {

    /** Optimistic attempts before the patch is applied inside an exclusive commit, where it cannot lose a race. */
    private static final int OPTIMISTIC_ATTEMPTS = 3;

    private final ResourceStore store;
    private final Writes writes;
    private final ResourceMatcher matcher;

    public PatchInteraction(ResourceStore store, Writes writes, ResourceMatcher matcher) {
        this.store = store;
        this.writes = writes;
        this.matcher = matcher;
    }

    @Override
    public FhirResponse handle(FhirRequest request, Route route) {
        PatchDocument patch = Patches.read(request);
        OptionalLong ifMatch = ETags.version(request.header("If-Match").orElse(null), "If-Match");
        String type = route.requireType();
        WriteGuard guard = WriteGuard.of(request);
        if (route.kind() == InteractionKind.CONDITIONAL_PATCH) {
            return conditional(request, type, patch, ifMatch, guard);
        }
        String id = route.requireId();
        for (int attempt = 1; attempt <= OPTIMISTIC_ATTEMPTS; attempt++) {
            ResourceVersion current = current(type, id);
            GuardedCommit.checkIfMatch(ifMatch, type, current.id(), Optional.of(current));
            Resource patched = patch.apply(current);
            guard.checkStored(InteractionKind.PATCH, type, id, patched);
            var write = writes.write(WriteMethod.PATCH, type, id, patched, new Expectation.Version(current.version()));
            try {
                return WriteResponses.of(request, store.commit(Commit.of(write)).get(0));
            } catch (FhirException e) {
                if (e.status() != 412 || ifMatch.isPresent()) {
                    throw e;
                }
                // changed under us: patch the newer version
            }
        }
        // heavily contended: patch inside the write order, where nothing can change in between
        var result = store.commitExclusively(() -> {
            ResourceVersion current = current(type, id);
            Resource patched = patch.apply(current);
            guard.checkStored(InteractionKind.PATCH, type, id, patched);
            return new CommitPlanner.Plan<>(Commit.of(writes.write(WriteMethod.PATCH, type, id, patched,
                    new Expectation.Version(current.version()))), null);
        });
        return WriteResponses.of(request, result.outcomes().get(0));
    }

    private FhirResponse conditional(FhirRequest request, String type, PatchDocument patch, OptionalLong ifMatch,
            WriteGuard guard) {
        Params criteria = request.params().without(n -> n.equals("_format") || n.equals("_pretty"));
        if (criteria.isEmpty()) {
            throw FhirException.invalid("a conditional patch needs search criteria, e.g. ?identifier=system|value");
        }
        var result = store.commitExclusively(() -> {
            List<String> ids = guard.matcher(InteractionKind.CONDITIONAL_PATCH, matcher).matchIds(type, criteria, 2);
            if (ids.isEmpty()) {
                throw FhirException.notFound("no " + type + " matched " + criteria + "; nothing was patched");
            }
            if (ids.size() > 1) {
                throw FhirException.preconditionFailed("the criteria matched more than one " + type
                        + "; a conditional patch needs exactly one");
            }
            ResourceVersion current = current(type, ids.get(0));
            GuardedCommit.checkIfMatch(ifMatch, type, current.id(), Optional.of(current));
            Resource patched = patch.apply(current);
            guard.checkStored(InteractionKind.CONDITIONAL_PATCH, type, current.id(), patched);
            return new CommitPlanner.Plan<>(Commit.of(writes.write(WriteMethod.PATCH, type, current.id(), patched,
                    new Expectation.Version(current.version()))), null);
        });
        WriteOutcome outcome = result.outcomes().get(0);
        return WriteResponses.of(request, outcome);
    }

    private ResourceVersion current(String type, String id) {
        ResourceVersion current = store.readCurrent(type, id)
                .orElseThrow(() -> FhirException.notFound(type + "/" + id + " is not known; nothing to patch"));
        if (current.deleted()) {
            throw FhirException.gone(type + "/" + id + " was deleted; nothing to patch");
        }
        return current;
    }
}
