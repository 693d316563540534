package dev.fhirbolt.authz;

import dev.fhirbolt.auth.SmartScope.Permission;
import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.fhir.Fhir;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.InteractionFilter;
import dev.fhirbolt.rest.InteractionKind;
import dev.fhirbolt.rest.Params;
import dev.fhirbolt.rest.ResourceMatcher;
import dev.fhirbolt.rest.RequestBodies;
import dev.fhirbolt.rest.ResponseBody;
import dev.fhirbolt.rest.Route;
import dev.fhirbolt.rest.WriteGuard;
import dev.fhirbolt.rest.bundle.BundleContent;
import dev.fhirbolt.search.SearchEngine;
import dev.fhirbolt.search.SearchRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
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
 */
public final class AuthorizationFilter implements InteractionFilter {

    /** Request attribute holding the caller's {@link Access}. */
    public static final String ACCESS = "fhirbolt.access";
    /** Request attribute holding an {@link AuditNote} the filter fills in on refusals. */
    public static final String NOTE = "fhirbolt.audit-note";

    private final SearchEngine search;
    private final ResourceStore store;
    private final Map<String, Set<String>> compartmentTypes = new ConcurrentHashMap<>();

    public AuthorizationFilter(SearchEngine search, ResourceStore store) {
        this.search = search;
        this.store = store;
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
                checkVisibleCurrent(a, route.requireType(), route.requireId(), Permission.READ);
                yield next.handle(request, route);
            }
            case VREAD -> vread(a, request, route, next);
            case HISTORY_INSTANCE -> {
                checkVisibleCurrent(a, route.requireType(), route.requireId(), Permission.READ);
                yield filterHistory(a, next.handle(request, route), Permission.READ);
            }
            case HISTORY_TYPE -> {
                require(a, route.requireType(), Permission.SEARCH);
                yield filterHistory(a, next.handle(request, route), Permission.SEARCH);
            }
            case HISTORY_SYSTEM -> filterHistory(a, next.handle(request, route), Permission.SEARCH);
            case SEARCH_TYPE, SEARCH_SYSTEM, SEARCH_COMPARTMENT -> search(a, request, route, next);
            case CREATE -> create(a, request, route, next);
            case UPDATE -> update(a, request, route, next);
            case DELETE -> {
                if (request.params().first("_cascade").isPresent()) {
                    requireCascade(a);
                }
                boolean unrestricted = allUnrestricted(require(a, route.requireType(), Permission.DELETE),
                        route.requireType());
                // a restricted token's delete is checked against the version it deletes
                yield next.handle(unrestricted ? request : guarded(a, request), route);
            }
            case PATCH -> {
                checkVisibleCurrent(a, route.requireType(), route.requireId(), Permission.UPDATE);
                yield next.handle(guarded(a, request), route); // the patched content is checked before it is stored
            }
            case CONDITIONAL_UPDATE, CONDITIONAL_PATCH -> {
                require(a, route.requireType(), Permission.UPDATE);
                yield next.handle(guarded(a, request), route);
            }
            case CONDITIONAL_DELETE -> {
                require(a, route.requireType(), Permission.DELETE);
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
                case CREATE -> require(a, type, Permission.CREATE);
                case UPDATE -> checkExistingVisible(require(a, type, Permission.UPDATE), type, route.requireId());
                case DELETE -> checkVisibleCurrent(a, type, route.requireId(), Permission.DELETE);
                case PATCH -> checkVisibleCurrent(a, type, route.requireId(), Permission.UPDATE);
                case CONDITIONAL_UPDATE, CONDITIONAL_PATCH -> require(a, type, Permission.UPDATE);
                case CONDITIONAL_DELETE -> require(a, type, Permission.DELETE);
                default -> throw forbidden(a, type, Permission.READ, "this entry is not allowed");
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
        List<Permit> ps = checkVisibleCurrent(a, type, id, Permission.READ);
        FhirResponse response = next.handle(request, route);
        if (response.body() instanceof ResponseBody.Stored stored && !allUnrestricted(ps, type)
                && !visibleContent(ps, type, ResourceReader.readStored(stored.version().json()))) {
            throw FhirException.notFound(type + "/" + id + " has no version " + route.versionId().orElse(""));
        }
        return response;
    }

    private FhirResponse filterHistory(Access a, FhirResponse response, Permission permission) {
        if (!(response.body() instanceof ResponseBody.Bundle bundle)) {
            return response;
        }
        List<BundleContent.Entry> kept = new ArrayList<>();
        boolean removed = false;
        for (BundleContent.Entry e : bundle.content().entries()) {
            String type = typeOfEntry(e);
            List<Permit> ps = type == null ? List.of() : a.applicable(type, permission);
            boolean keep;
            if (ps.isEmpty()) {
                keep = false;
            } else if (allUnrestricted(ps, type)) {
                keep = true;
            } else if (e.resource().orElse(null) instanceof ResponseBody.Stored s) {
                keep = visibleContent(ps, type, ResourceReader.readStored(s.version().json()));
            } else {
                keep = false; // a deletion: nothing to judge it by
            }
            if (keep) {
                kept.add(e);
            } else {
                removed = true;
            }
        }
        if (!removed) {
            return response;
        }
        return rebuild(response, new BundleContent(bundle.content().type(), Optional.empty(),
                bundle.content().links(), kept));
    }

    private static String typeOfEntry(BundleContent.Entry e) {
        if (e.resource().orElse(null) instanceof ResponseBody.Stored s) {
            return s.version().type();
        }
        return e.fullUrl().map(u -> {
            String[] parts = u.split("/");
            return parts.length >= 2 ? parts[parts.length - 2] : null;
        }).orElse(null);
    }

    // ------------------------------------------------------------------ search

    private FhirResponse search(Access a, FhirRequest request, Route route, Next next) {
        Params params = request.params();
        Route run = route;
        List<String> types;
        boolean explicit;
        String owner = null;
        if (route.kind() == InteractionKind.SEARCH_COMPARTMENT) {
            String ownerType = route.requireType();
            String ownerId = route.requireId();
            owner = ownerType + "/" + ownerId;
            List<Permit> ownerPermits = union(a.applicable(ownerType, Permission.READ),
                    a.applicable(ownerType, Permission.SEARCH));
            if (ownerPermits.isEmpty() || !visibleCurrent(ownerPermits, ownerType, ownerId)) {
                throw FhirException.notFound(owner + " is not known");
            }
        }
        String target = route.kind() == InteractionKind.SEARCH_TYPE ? route.requireType()
                : route.kind() == InteractionKind.SEARCH_COMPARTMENT ? route.compartmentTarget().orElse("*") : "*";
        if (!target.equals("*")) {
            types = List.of(target);
            explicit = true;
        } else {
            types = requestedTypes(params);
            explicit = !types.isEmpty();
            if (!explicit && a.permits().stream().noneMatch(p -> p.scope().isWildcardType()
                    && p.permits(Permission.SEARCH))) {
                types = permittedTypes(a, Permission.SEARCH);
                if (types.isEmpty()) {
                    throw forbidden(a, "*", Permission.SEARCH, "the access token grants no search");
                }
                params = params.without(n -> n.equals("_type"))
                        .plus(new Params(List.of(new Params.Param("_type", String.join(",", types)))));
                explicit = true;
            }
        }
        Map<String, List<Permit>> permits = new LinkedHashMap<>();
        for (String t : types) {
            List<Permit> ps = a.applicable(t, Permission.SEARCH);
            if (ps.isEmpty()) {
                throw forbidden(a, t, Permission.SEARCH, null);
            }
            permits.put(t, ps);
        }
        boolean needsFilter = !explicit || permits.entrySet().stream()
                .anyMatch(e -> !allUnrestricted(e.getValue(), e.getKey()));
        boolean hasIncludes = params.all().stream().anyMatch(p -> p.name().startsWith("_include")
                || p.name().startsWith("_revinclude"));
        // narrow the search itself where the engine can do it exactly
        boolean exact = !needsFilter;
        boolean inCompartment = false;
        if (needsFilter && explicit) {
            String common = commonCompartment(permits);
            boolean granularDone = true;
            Params narrowed = params;
            if (types.size() == 1) {
                Optional<Params> g = granularParams(permits.get(types.get(0)));
                if (g.isPresent()) {
                    narrowed = narrowed.plus(g.get());
                } else {
                    granularDone = false;
                }
            } else {
                granularDone = permits.values().stream().flatMap(List::stream).noneMatch(Permit::granular);
            }
            if (common != null) {
                if (owner == null) {
                    int slash = common.indexOf('/');
                    run = new Route(InteractionKind.SEARCH_COMPARTMENT, Optional.of(common.substring(0, slash)),
                            Optional.of(common.substring(slash + 1)), Optional.empty(), Optional.empty(),
                            Optional.of(types.size() == 1 ? types.get(0) : "*"));
                    if (types.size() > 1 && !narrowed.has("_type")) {
                        narrowed = narrowed.plus(new Params(List.of(new Params.Param("_type",
                                String.join(",", types)))));
                    }
                    inCompartment = true;
                    exact = granularDone;
                } else if (owner.equals(common)) {
                    inCompartment = true;
                    exact = granularDone;
                }
            } else if (permits.entrySet().stream().allMatch(e -> e.getValue().stream()
                    .allMatch(p -> effectiveCompartment(p, e.getKey()) == null))) {
                exact = granularDone; // only granular restrictions, added as parameters
            }
            params = narrowed;
        }
        checkChainsAllowed(a, inCompartment, params);
        FhirResponse response = next.handle(withParams(request, params), run);
        if (exact && !hasIncludes) {
            return response;
        }
        return filterSearch(a, response, !exact);
    }

    /** _has and chains could tell something about other patients, unless the search is held to the compartment. */
    private static void checkChainsAllowed(Access a, boolean inCompartment, Params params) {
        if (a.anyRestricted() && !inCompartment && params.all().stream()
                .anyMatch(p -> p.name().startsWith("_has:") || isChain(p.name()))) {
            throw new FhirException(403, IssueType.FORBIDDEN, "with patient-restricted access, _has and chained"
                    + " parameters are only available on searches of resource types in the patient's compartment");
        }
    }

    private static boolean isChain(String name) {
        return !name.startsWith("_has:") && name.indexOf('.') > 0;
    }

    private List<String> requestedTypes(Params params) {
        List<String> out = new ArrayList<>();
        for (String v : params.values("_type")) {
            for (String t : v.split(",")) {
                String type = t.trim();
                if (!type.isEmpty() && !out.contains(type)) {
                    if (!Fhir.isResourceType(type)) {
                        throw FhirException.invalid("unknown resource type " + type);
                    }
                    out.add(type);
                }
            }
        }
        return out;
    }

    private static List<String> permittedTypes(Access a, Permission permission) {
        Set<String> out = new LinkedHashSet<>();
        for (Permit p : a.permits()) {
            if (p.permits(permission) && !p.scope().isWildcardType()) {
                out.add(p.scope().resourceType());
            }
        }
        return List.copyOf(out);
    }

    /** The compartment every permit of every type is held to, when they all share one and all types are in it. */
    private String commonCompartment(Map<String, List<Permit>> permits) {
        String common = null;
        for (Map.Entry<String, List<Permit>> e : permits.entrySet()) {
            for (Permit p : e.getValue()) {
                String c = effectiveCompartment(p, e.getKey());
                if (c == null || common != null && !common.equals(c)) {
                    return null;
                }
                common = c;
            }
        }
        return common;
    }

    /**
     * The parameters that express a type's permits exactly: none when one permit is not granular; the permit's own
     * when there is one; the values OR'd when all are single-parameter scopes on the same parameter.
     */
    private static Optional<Params> granularParams(List<Permit> ps) {
        if (ps.stream().anyMatch(p -> !p.granular())) {
            return Optional.of(Params.empty());
        }
        if (ps.size() == 1) {
            List<Params.Param> list = new ArrayList<>();
            ps.get(0).params().forEach((n, vs) -> vs.forEach(v -> list.add(new Params.Param(n, v))));
            return Optional.of(new Params(list));
        }
        Set<String> names = ps.stream().flatMap(p -> p.scope().parameters().stream()).map(x -> x.name())
                .collect(Collectors.toSet());
        if (names.size() == 1 && ps.stream().allMatch(p -> p.scope().parameters().size() == 1)
                && ps.stream().noneMatch(p -> p.scope().parameters().get(0).value().contains(","))) {
            String values = ps.stream().map(p -> p.scope().parameters().get(0).value()).distinct()
                    .collect(Collectors.joining(","));
            return Optional.of(new Params(List.of(new Params.Param(names.iterator().next(), values))));
        }
        return Optional.empty();
    }

    private static FhirRequest withParams(FhirRequest r, Params params) {
        if (params == r.params()) {
            return r;
        }
        return new FhirRequest(r.method(), r.path(), params, r.headers(), r.body(), r.baseUrl(), r.remoteAddress(),
                r.attributes());
    }

    /** Drops matches and includes the caller may not see; drops the total when it may count them. */
    private FhirResponse filterSearch(Access a, FhirResponse response, boolean dropTotal) {
        return filterEntries(a, response, dropTotal, false);
    }

    private FhirResponse filterEntries(Access a, FhirResponse response, boolean dropTotal, boolean anyRead) {
        if (!(response.body() instanceof ResponseBody.Bundle bundle)) {
            return response;
        }
        List<BundleContent.Entry> kept = new ArrayList<>();
        boolean removed = false;
        for (BundleContent.Entry e : bundle.content().entries()) {
            if (!(e.resource().orElse(null) instanceof ResponseBody.Stored s)) {
                kept.add(e); // an OperationOutcome the engine added
                continue;
            }
            ResourceVersion v = s.version();
            boolean match = !anyRead && e.searchMode().map("match"::equals).orElse(true);
            List<Permit> ps = match ? a.applicable(v.type(), Permission.SEARCH)
                    : union(a.applicable(v.type(), Permission.READ), a.applicable(v.type(), Permission.SEARCH));
            if (!ps.isEmpty() && visibleVersion(ps, v)) {
                kept.add(e);
            } else {
                removed = true;
            }
        }
        if (!removed && !dropTotal) {
            return response;
        }
        return rebuild(response, new BundleContent(bundle.content().type(),
                dropTotal ? Optional.empty() : bundle.content().total(), bundle.content().links(), kept));
    }

    private static FhirResponse rebuild(FhirResponse original, BundleContent content) {
        FhirResponse out = FhirResponse.of(original.status(), new ResponseBody.Bundle(content));
        original.headers().forEach(out::header);
        return out;
    }

    // ------------------------------------------------------------------ writes

    private FhirResponse create(Access a, FhirRequest request, Route route, Next next) {
        String type = route.requireType();
        List<Permit> ps = require(a, type, Permission.CREATE);
        if (!allUnrestricted(ps, type)) {
            checkContent(ps, type, null, RequestBodies.read(request, type));
        }
        return next.handle(request.header("If-None-Exist").isPresent() ? guarded(a, request) : request, route);
    }

    private FhirResponse update(Access a, FhirRequest request, Route route, Next next) {
        String type = route.requireType();
        String id = route.requireId();
        List<Permit> ps = require(a, type, Permission.UPDATE);
        if (allUnrestricted(ps, type)) {
            return next.handle(request, route);
        }
        checkContent(ps, type, id, RequestBodies.read(request, type)); // refused before any read of the store
        return next.handle(guarded(a, request), route); // checked against the version it replaces
    }

    /** The request with a {@link ScopedWrites} guard, when the token is restricted at all. */
    private FhirRequest guarded(Access a, FhirRequest request) {
        if (!a.anyLimited()) {
            return request;
        }
        Map<String, Object> attributes = new java.util.HashMap<>(request.attributes());
        attributes.put(WriteGuard.ATTRIBUTE, new ScopedWrites(this, a, request));
        return new FhirRequest(request.method(), request.path(), request.params(), request.headers(), request.body(),
                request.baseUrl(), request.remoteAddress(), attributes);
    }

    /**
     * The first {@code limit} resources matching conditional criteria among those the token reaches with the
     * permission: a compartment search with the granular parameters added where that is exact, else every match is
     * checked.
     */
    List<String> matchReachable(Access a, Permission permission, String type, Params criteria, int limit,
            ResourceMatcher all) {
        List<Permit> ps = require(a, type, permission);
        String compartment = commonCompartment(Map.of(type, ps));
        checkChainsAllowed(a, compartment != null, criteria);
        if (allUnrestricted(ps, type)) {
            return all.matchIds(type, criteria, limit);
        }
        Optional<SearchRequest.Compartment> within = Optional.ofNullable(compartment).map(c ->
                new SearchRequest.Compartment(c.substring(0, c.indexOf('/')), c.substring(c.indexOf('/') + 1)));
        boolean compartmentExact = compartment != null
                || ps.stream().allMatch(p -> effectiveCompartment(p, type) == null);
        Optional<Params> granular = granularParams(ps);
        if (compartmentExact && granular.isPresent()) {
            return search.matchIds(type, within, criteria.plus(granular.get()).asMap(), limit);
        }
        List<String> out = new ArrayList<>();
        for (String id : search.matchIds(type, within, criteria.asMap(), Integer.MAX_VALUE)) {
            if (out.size() == limit) {
                break;
            }
            if (visibleCurrent(ps, type, id)) {
                out.add(id);
            }
        }
        return out;
    }

    /** What a write stores as type/id (id null: a new resource) must be within reach, as must what it replaces. */
    void checkStored(Access a, Permission permission, String type, String id, Resource resource) {
        List<Permit> ps = require(a, type, permission);
        if (allUnrestricted(ps, type)) {
            return;
        }
        if (id != null) {
            checkExistingVisible(ps, type, id);
        }
        checkContent(ps, type, id, resource);
    }

    private void checkExistingVisible(List<Permit> ps, String type, String id) {
        Optional<ResourceVersion> current = store.readCurrent(type, id).filter(v -> !v.deleted());
        if (current.isPresent() && !visibleVersion(ps, current.get())) {
            throw FhirException.notFound(type + "/" + id + " is not known");
        }
    }

    private void checkContent(List<Permit> ps, String type, String id, Resource resource) {
        if (allUnrestricted(ps, type)) {
            return;
        }
        if (id != null && !resource.hasIdElement()) {
            resource = resource.copy();
            resource.setId(id);
        }
        if (!visibleContent(ps, type, resource)) {
            String where = ps.stream().map(p -> effectiveCompartment(p, type)).filter(Objects::nonNull).distinct()
                    .map(c -> "in the compartment of " + c).collect(Collectors.joining(" or "));
            String granular = ps.stream().filter(Permit::granular).map(p -> p.scope().raw())
                    .collect(Collectors.joining(", "));
            throw new FhirException(403, IssueType.FORBIDDEN, "the access token may only write " + type
                    + " resources" + (where.isEmpty() ? "" : " " + where)
                    + (granular.isEmpty() ? "" : " that match " + granular) + "; this " + type + " would not be");
        }
    }

    // ------------------------------------------------------------------ operations

    private FhirResponse operation(Access a, FhirRequest request, Route route, Next next) {
        String name = route.operation().orElse("");
        switch (name) {
            case "export-poll-status", "export-file" -> {
                return next.handle(request, route); // the export module checks the job's owner
            }
            case "export" -> {
                return next.handle(ExportPolicy.narrow(this, a, request, route), route);
            }
            case "everything" -> {
                return everything(a, request, route, next);
            }
            case "expand", "lookup", "validate-code", "subsumes", "translate" -> {
                require(a, route.requireType(), Permission.READ); // terminology: reads code systems, value sets, maps
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
            requireUnrestricted(a, "Patient", Permission.SEARCH, "Patient/$everything over all patients");
        } else {
            checkVisibleCurrent(a, "Patient", route.requireId(), Permission.READ);
        }
        FhirResponse response = next.handle(request, route);
        boolean unrestricted = a.permits().stream().anyMatch(p -> p.compartment() == null && !p.granular()
                && p.scope().isWildcardType() && p.permits(Permission.READ));
        return unrestricted ? response : filterEntries(a, response, true, true);
    }

    // ------------------------------------------------------------------ the checks

    List<Permit> require(Access a, String type, Permission permission) {
        List<Permit> ps = a.applicable(type, permission);
        if (ps.isEmpty()) {
            throw forbidden(a, type, permission, null);
        }
        return ps;
    }

    /**
     * {@code _cascade=delete} also deletes resources of other types that refer to the one named: only a token that
     * may delete every resource of every type (not patient-restricted, not granular) may ask for it.
     */
    private void requireCascade(Access a) {
        boolean everything = a.permits().stream().anyMatch(p -> p.compartment() == null && !p.granular()
                && p.scope().isWildcardType() && p.permits(Permission.DELETE));
        if (!everything) {
            throw new FhirException(403, IssueType.FORBIDDEN, "_cascade=delete deletes the resources that refer to"
                    + " this one too, whatever their type: it needs a scope that may delete every resource, such as"
                    + " system/*.d or user/*.d; delete the referrers one by one instead");
        }
    }

    private void requireUnrestricted(Access a, String type, Permission permission, String what) {
        List<Permit> ps = require(a, type, permission);
        if (!allUnrestricted(ps, type) && ps.stream().noneMatch(p -> !p.granular()
                && effectiveCompartment(p, type) == null)) {
            throw new FhirException(403, IssueType.FORBIDDEN, what + " is only available with a scope that reaches"
                    + " every " + type + " (not patient-restricted, not granular), such as user/ or system/"
                    + type + "." + permission.letter());
        }
    }

    /** The permits for the interaction; 403 without one, 404 when the current resource is out of reach. */
    List<Permit> checkVisibleCurrent(Access a, String type, String id, Permission permission) {
        List<Permit> ps = require(a, type, permission);
        if (!visibleCurrent(ps, type, id)) {
            throw FhirException.notFound(type + "/" + id + " is not known");
        }
        return ps;
    }

    static FhirException forbidden(Access a, String type, Permission permission, String detail) {
        String suggested = a.suggestedContext() + "/" + type + "." + permission.letter();
        String has = a.permits().stream().map(p -> p.scope().raw()).collect(Collectors.joining(" "));
        return new FhirException(403, IssueType.FORBIDDEN, (detail == null ? "" : detail + "; ")
                + permission.word() + " of " + type + " needs the scope " + suggested
                + " (or a wider one); the access token's resource scopes are: " + (has.isEmpty() ? "(none)" : has));
    }

    boolean allUnrestricted(List<Permit> ps, String type) {
        return ps.stream().anyMatch(p -> !p.granular() && effectiveCompartment(p, type) == null);
    }

    String effectiveCompartment(Permit p, String type) {
        if (p.compartment() == null) {
            return null;
        }
        Set<String> types = compartmentTypes.computeIfAbsent(p.compartmentType(), search::compartmentTypes);
        return types.contains(type) ? p.compartment() : null;
    }

    /** The current version of type/id, by the compartment index and (for granular permits) its content. */
    private boolean visibleCurrent(List<Permit> ps, String type, String id) {
        Resource content = null;
        boolean loaded = false;
        for (Permit p : ps) {
            String c = effectiveCompartment(p, type);
            if (c != null && !search.inCompartment(p.compartmentType(), p.compartmentId(), type, id)) {
                continue;
            }
            if (!p.granular()) {
                return true; // unrestricted ones let the interaction answer 404 itself
            }
            if (!loaded) {
                loaded = true;
                content = store.readCurrent(type, id).filter(v -> !v.deleted())
                        .map(v -> ResourceReader.readStored(v.json())).orElse(null);
            }
            if (content == null) {
                return false;
            }
            if (matchesCurrent(p, type, id, content)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A granular permit tested on a current version (already known to be in the permit's compartment): in memory, or,
     * for chained and _has parameters, which depend on other resources, by the index (the resource's id and the
     * permit's parameters as one search).
     */
    private boolean matchesCurrent(Permit p, String type, String id, Resource content) {
        Optional<Boolean> inMemory = search.matchesInMemory(content, p.params());
        if (inMemory.isPresent()) {
            return inMemory.get();
        }
        Map<String, List<String>> params = new LinkedHashMap<>(p.params());
        params.put("_id", List.of(id));
        return !search.matchIds(type, params, 1).isEmpty();
    }

    /** A current version served by a search: compartment by the index, granular by content. */
    private boolean visibleVersion(List<Permit> ps, ResourceVersion v) {
        Resource content = null;
        for (Permit p : ps) {
            String c = effectiveCompartment(p, v.type());
            if (c != null && !search.inCompartment(p.compartmentType(), p.compartmentId(), v.type(), v.id())) {
                continue;
            }
            if (!p.granular()) {
                return true;
            }
            if (content == null) {
                content = ResourceReader.readStored(v.json());
            }
            if (matchesCurrent(p, v.type(), v.id(), content)) {
                return true;
            }
        }
        return false;
    }

    /** A resource judged by its own content: old versions, and what a write would store. */
    boolean visibleContent(List<Permit> ps, String type, Resource resource) {
        Set<String> compartments = null;
        for (Permit p : ps) {
            String c = effectiveCompartment(p, type);
            if (c != null) {
                if (compartments == null) {
                    compartments = search.compartmentsOf(resource);
                }
                if (!compartments.contains(c)) {
                    continue;
                }
            }
            if (!p.granular() || search.matchesInMemory(resource, p.params()).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    private static List<Permit> union(Collection<Permit> a, Collection<Permit> b) {
        LinkedHashSet<Permit> out = new LinkedHashSet<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }

    Set<String> compartmentTypes(String compartmentType) {
        return compartmentTypes.computeIfAbsent(compartmentType, search::compartmentTypes);
    }
}
