package dev.fhirbolt.authz;

import dev.fhirbolt.auth.SmartScope.Permission;
import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.InteractionFilter;
import dev.fhirbolt.rest.RequestBodies;
import dev.fhirbolt.rest.ResponseBody;
import dev.fhirbolt.rest.Route;
import dev.fhirbolt.rest.WriteGuard;
import dev.fhirbolt.search.SearchEngine;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Resource;

/**
 * Enforces SMART scopes and compartments on every interaction the {@code FhirApi} runs, top-level requests and
 * Bundle entries alike. Requests without an {@link Access} attribute (development mode) pass untouched.
 *
 * <p>Rules, in short (docs/security.md has them in full):
 * <ul>
 * <li>The interaction needs a permit (scope) for the type with the permission it uses ({@code r}: read, vread,
 * instance history; {@code s}: search, type and system history; {@code c}, {@code u}, {@code d}: writes); without
 * one the answer is 403 naming the scope that is missing.</li>
 * <li>A permit held to a compartment (patient/ scopes) reaches resources of the compartment's types only inside
 * the compartment, and every resource of other types. Anything outside answers 404 as if it did not exist; searches
 * are restricted to the compartment and their matches and includes filtered.</li>
 * <li>Granular scopes ({@code ?category=...}) add their parameters to searches and are tested on every resource
 * read or written.</li>
 * </ul>
 *
 * <p>This class decides per interaction what to check; {@link TokenReach} holds the checks (which permits apply,
 * what lies within them) and {@link ScopedSearch} narrows searches and filters what they answer.
 */
public final class AuthorizationFilter implements InteractionFilter {

    /** Request attribute holding the caller's {@link Access}. */
    public static final String ACCESS = "fhirbolt.access";
    /** Request attribute holding an {@link AuditNote} the filter fills in on refusals. */
    public static final String NOTE = "fhirbolt.audit-note";

    private final TokenReach reach;
    private final ScopedSearch searches;

    public AuthorizationFilter(SearchEngine search, ResourceStore store) {
        this.reach = new TokenReach(search, store);
        this.searches = new ScopedSearch(reach, search);
    }

    @Override
    public FhirResponse handle(FhirRequest request, Route route, Next next) {
        Optional<Access> found = request.attribute(ACCESS, Access.class);
        if (found.isEmpty()) {
            return next.handle(request, route);
        }
        Access access = found.get();
        try {
            return enforce(access, request, route, next);
        } catch (FhirException e) {
            note(request, e);
            throw e;
        }
    }

    /** Records a refusal (403, 404) for the audit trail. */
    static void note(FhirRequest request, FhirException e) {
        if (e.status() == 403 || e.status() == 404) {
            request.attribute(NOTE, AuditNote.class).ifPresent(n -> n.denied(e.status() + " " + e.getMessage()));
        }
    }

    private FhirResponse enforce(Access a, FhirRequest request, Route route, Next next) {
        return switch (route.kind()) {
            case CAPABILITIES -> next.handle(request, route);
            case BATCH -> next.handle(guarded(a, request), route); // a transaction plans its writes itself
            case READ -> {
                reach.checkVisibleCurrent(a, route.requireType(), route.requireId(), Permission.READ);
                yield next.handle(request, route);
            }
            case VREAD -> vread(a, request, route, next);
            case HISTORY_INSTANCE -> {
                reach.checkVisibleCurrent(a, route.requireType(), route.requireId(), Permission.READ);
                yield searches.filterHistory(a, next.handle(request, route), Permission.READ);
            }
            case HISTORY_TYPE -> {
                reach.require(a, route.requireType(), Permission.SEARCH);
                yield searches.filterHistory(a, next.handle(request, route), Permission.SEARCH);
            }
            case HISTORY_SYSTEM -> searches.filterHistory(a, next.handle(request, route), Permission.SEARCH);
            case SEARCH_TYPE, SEARCH_SYSTEM, SEARCH_COMPARTMENT -> searches.search(a, request, route, next);
            case CREATE -> create(a, request, route, next);
            case UPDATE -> update(a, request, route, next);
            case DELETE -> {
                if (request.params().first("_cascade").isPresent()) {
                    requireCascade(a);
                }
                String type = route.requireType();
                boolean unrestricted = reach.allUnrestricted(reach.require(a, type, Permission.DELETE), type);
                // a restricted token's delete is checked against the version it deletes
                yield next.handle(unrestricted ? request : guarded(a, request), route);
            }
            case PATCH -> {
                reach.checkVisibleCurrent(a, route.requireType(), route.requireId(), Permission.UPDATE);
                yield next.handle(guarded(a, request), route); // the patched content is checked before it is stored
            }
            case CONDITIONAL_UPDATE, CONDITIONAL_PATCH -> {
                reach.require(a, route.requireType(), Permission.UPDATE);
                yield next.handle(guarded(a, request), route);
            }
            case CONDITIONAL_DELETE -> {
                reach.require(a, route.requireType(), Permission.DELETE);
                yield next.handle(guarded(a, request), route);
            }
            case OPERATION -> operation(a, request, route, next);
        };
    }

    @Override
    public void checkWrite(FhirRequest request, Route route, Resource resource) {
        Optional<Access> found = request.attribute(ACCESS, Access.class);
        if (found.isEmpty()) {
            return;
        }
        Access a = found.get();
        String type = route.requireType();
        // permissions and the targets named by id; the content is judged once references are resolved (WriteGuard)
        try {
            switch (route.kind()) {
                case CREATE -> reach.require(a, type, Permission.CREATE);
                case UPDATE -> reach.checkExistingVisible(reach.require(a, type, Permission.UPDATE), type,
                        route.requireId());
                case DELETE -> reach.checkVisibleCurrent(a, type, route.requireId(), Permission.DELETE);
                case PATCH -> reach.checkVisibleCurrent(a, type, route.requireId(), Permission.UPDATE);
                case CONDITIONAL_UPDATE, CONDITIONAL_PATCH -> reach.require(a, type, Permission.UPDATE);
                case CONDITIONAL_DELETE -> reach.require(a, type, Permission.DELETE);
                default -> throw TokenReach.forbidden(a, type, Permission.READ, "this entry is not allowed");
            }
        } catch (FhirException e) {
            note(request, e);
            throw e;
        }
    }

    // ------------------------------------------------------------------ reads

    private FhirResponse vread(Access a, FhirRequest request, Route route, Next next) {
        String type = route.requireType();
        String id = route.requireId();
        List<Permit> ps = reach.checkVisibleCurrent(a, type, id, Permission.READ);
        FhirResponse response = next.handle(request, route);
        if (response.body() instanceof ResponseBody.Stored stored && !reach.allUnrestricted(ps, type)
                && !reach.visibleContent(ps, type, ResourceReader.readStored(stored.version().json()))) {
            throw FhirException.notFound(type + "/" + id + " has no version " + route.versionId().orElse(""));
        }
        return response;
    }

    // ------------------------------------------------------------------ writes

    private FhirResponse create(Access a, FhirRequest request, Route route, Next next) {
        String type = route.requireType();
        List<Permit> ps = reach.require(a, type, Permission.CREATE);
        if (!reach.allUnrestricted(ps, type)) {
            reach.checkContent(ps, type, null, RequestBodies.read(request, type));
        }
        return next.handle(request.header("If-None-Exist").isPresent() ? guarded(a, request) : request, route);
    }

    private FhirResponse update(Access a, FhirRequest request, Route route, Next next) {
        String type = route.requireType();
        String id = route.requireId();
        List<Permit> ps = reach.require(a, type, Permission.UPDATE);
        if (reach.allUnrestricted(ps, type)) {
            return next.handle(request, route);
        }
        reach.checkContent(ps, type, id, RequestBodies.read(request, type)); // refused before any read of the store
        return next.handle(guarded(a, request), route); // checked against the version it replaces
    }

    /** The request with a {@link ScopedWrites} guard, when the token is restricted at all. */
    private FhirRequest guarded(Access a, FhirRequest request) {
        if (!a.anyLimited()) {
            return request;
        }
        Map<String, Object> attributes = new java.util.HashMap<>(request.attributes());
        attributes.put(WriteGuard.ATTRIBUTE, new ScopedWrites(reach, searches, a, request));
        return new FhirRequest(request.method(), request.path(), request.params(), request.headers(), request.body(),
                request.baseUrl(), request.remoteAddress(), attributes);
    }

    // ------------------------------------------------------------------ operations

    private FhirResponse operation(Access a, FhirRequest request, Route route, Next next) {
        String name = route.operation().orElse("");
        switch (name) {
            case "export-poll-status", "export-file" -> {
                return next.handle(request, route); // the export module checks the job's owner
            }
            case "export" -> {
                return next.handle(ExportPolicy.narrow(reach, a, request, route), route);
            }
            case "everything" -> {
                return everything(a, request, route, next);
            }
            case "expand", "lookup", "validate-code", "subsumes", "translate" -> {
                // terminology: reads code systems, value sets, maps
                reach.require(a, route.requireType(), Permission.READ);
                return next.handle(request, route);
            }
            default -> {
                String type = route.type().orElse("*");
                boolean ok = a.permits().stream().anyMatch(p -> p.compartment() == null && !p.granular()
                        && (p.scope().isWildcardType() || p.scope().resourceType().equals(type))
                        && p.scope().permissions().size() == Permission.values().length);
                if (!ok) {
                    throw new FhirException(403, IssueType.FORBIDDEN, "the operation $" + name + " needs an"
                            + " unrestricted scope with every permission on " + type + " (e.g. system/" + type
                            + ".cruds)");
                }
                return next.handle(request, route);
            }
        }
    }

    /**
     * Patient/[id]/$everything: the patient must be visible (404 otherwise); every resource of the answer is checked
     * like a search result. Patient/$everything (all patients) needs unrestricted access to Patient.
     */
    private FhirResponse everything(Access a, FhirRequest request, Route route, Next next) {
        if (route.id().isEmpty()) {
            reach.requireUnrestricted(a, "Patient", Permission.SEARCH, "Patient/$everything over all patients");
        } else {
            reach.checkVisibleCurrent(a, "Patient", route.requireId(), Permission.READ);
        }
        FhirResponse response = next.handle(request, route);
        boolean unrestricted = a.permits().stream().anyMatch(p -> p.compartment() == null && !p.granular()
                && p.scope().isWildcardType() && p.permits(Permission.READ));
        return unrestricted ? response : searches.filterEntries(a, response, true, true);
    }

    /**
     * {@code _cascade=delete} also deletes resources of other types that refer to the one named: only a token that
     * may delete every resource of every type (not patient-restricted, not granular) may ask for it.
     */
    private static void requireCascade(Access a) {
        boolean everything = a.permits().stream().anyMatch(p -> p.compartment() == null && !p.granular()
                && p.scope().isWildcardType() && p.permits(Permission.DELETE));
        if (!everything) {
            throw new FhirException(403, IssueType.FORBIDDEN, "_cascade=delete deletes the resources that refer to"
                    + " this one too, whatever their type: it needs a scope that may delete every resource, such as"
                    + " system/*.d or user/*.d; delete the referrers one by one instead");
        }
    }
}
