package dev.fhirbolt.authz;

import dev.fhirbolt.auth.SmartScope.Permission;
import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.InteractionKind;
import dev.fhirbolt.rest.ResourceMatcher;
import dev.fhirbolt.rest.WriteGuard;
import org.hl7.fhir.r4.model.Resource;

/**
 * The {@link WriteGuard} of one restricted caller: conditional criteria find only what the token reaches with the
 * permission of the interaction, and what is stored must stay within reach (the rules of a plain update).
 */
final class ScopedWrites implements WriteGuard {

    private final TokenReach reach;
    private final ScopedSearch searches;
    private final Access access;
    private final FhirRequest request;

    ScopedWrites(TokenReach reach, ScopedSearch searches, Access access, FhirRequest request) {
        this.reach = reach;
        this.searches = searches;
        this.access = access;
        this.request = request;
    }

    @Override
    public ResourceMatcher matcher(InteractionKind kind, ResourceMatcher all) {
        Permission permission = permission(kind);
        return (type, criteria, limit) -> noted(() -> searches.matchReachable(access, permission, type,
                criteria, limit, all));
    }

    @Override
    public void checkStored(InteractionKind kind, String type, String id, Resource resource) {
        noted(() -> {
            reach.checkStored(access, permission(kind), type, kind == InteractionKind.CREATE ? null : id, resource);
            return null;
        });
    }

    @Override
    public void checkDeletable(String type, String id) {
        noted(() -> reach.checkVisibleCurrent(access, type, id, Permission.DELETE));
    }

    private static Permission permission(InteractionKind kind) {
        return switch (kind) {
            case CREATE -> Permission.CREATE;
            case UPDATE, CONDITIONAL_UPDATE, PATCH, CONDITIONAL_PATCH -> Permission.UPDATE;
            case DELETE, CONDITIONAL_DELETE -> Permission.DELETE;
            // a transaction's conditional reference: a search
            default -> Permission.SEARCH;
        };
    }

    private <T> T noted(java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (FhirException e) {
            AuthorizationFilter.note(request, e);
            throw e;
        }
    }
}
