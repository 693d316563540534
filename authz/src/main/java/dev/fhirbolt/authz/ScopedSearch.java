package dev.fhirbolt.authz;

import dev.fhirbolt.auth.SmartScope.Permission;
import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.fhir.Fhir;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.InteractionFilter.Next;
import dev.fhirbolt.rest.InteractionKind;
import dev.fhirbolt.rest.Params;
import dev.fhirbolt.rest.ResourceMatcher;
import dev.fhirbolt.rest.ResponseBody;
import dev.fhirbolt.rest.Route;
import dev.fhirbolt.rest.bundle.BundleContent;
import dev.fhirbolt.search.SearchEngine;
import dev.fhirbolt.search.SearchRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Searches and history for a restricted token: the search itself is narrowed where the engine can do it exactly (a
 * compartment search, the granular scopes' parameters added), and whatever the token may not see is dropped from
 * the answer's entries (with the total, when it would count them).
 */
final class ScopedSearch {

    private final TokenReach reach;
    private final SearchEngine search;

    ScopedSearch(TokenReach reach, SearchEngine search) {
        this.reach = reach;
        this.search = search;
    }

    FhirResponse search(Access a, FhirRequest request, Route route, Next next) {
        Params params = request.params();
        Route run = route;
        List<String> types;
        boolean explicit;
        String owner = null;
        if (route.kind() == InteractionKind.SEARCH_COMPARTMENT) {
            String ownerType = route.requireType();
            String ownerId = route.requireId();
            owner = ownerType + "/" + ownerId;
            List<Permit> ownerPermits = TokenReach.union(a.applicable(ownerType, Permission.READ),
                    a.applicable(ownerType, Permission.SEARCH));
            if (ownerPermits.isEmpty() || !reach.visibleCurrent(ownerPermits, ownerType, ownerId)) {
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
                    throw TokenReach.forbidden(a, "*", Permission.SEARCH, "the access token grants no search");
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
                throw TokenReach.forbidden(a, t, Permission.SEARCH, null);
            }
            permits.put(t, ps);
        }
        boolean needsFilter = !explicit || permits.entrySet().stream()
                .anyMatch(e -> !reach.allUnrestricted(e.getValue(), e.getKey()));
        boolean hasIncludes = params.all().stream().anyMatch(p -> p.name().startsWith("_include")
                || p.name().startsWith("_revinclude"));
        // narrow the search itself where the engine can do it exactly
        boolean exact = !needsFilter;
        boolean inCompartment = false;
        if (needsFilter && explicit) {
            String common = reach.commonCompartment(permits);
            boolean granularDone = true;
            Params narrowed = params;
            if (types.size() == 1) {
                Optional<Params> g = TokenReach.granularParams(permits.get(types.get(0)));
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
                    .allMatch(p -> reach.effectiveCompartment(p, e.getKey()) == null))) {
                exact = granularDone; // only granular restrictions, added as parameters
            }
            params = narrowed;
        }
        checkChainsAllowed(a, inCompartment, params);
        FhirResponse response = next.handle(withParams(request, params), run);
        if (exact && !hasIncludes) {
            return response;
        }
        return filterEntries(a, response, !exact, false);
    }

    /**
     * The first {@code limit} resources matching conditional criteria among those the token reaches with the
     * permission: a compartment search with the granular parameters added where that is exact, else every match is
     * checked.
     */
    List<String> matchReachable(Access a, Permission permission, String type, Params criteria, int limit,
            ResourceMatcher all) {
        List<Permit> ps = reach.require(a, type, permission);
        String compartment = reach.commonCompartment(Map.of(type, ps));
        checkChainsAllowed(a, compartment != null, criteria);
        if (reach.allUnrestricted(ps, type)) {
            return all.matchIds(type, criteria, limit);
        }
        Optional<SearchRequest.Compartment> within = Optional.ofNullable(compartment).map(c ->
                new SearchRequest.Compartment(c.substring(0, c.indexOf('/')), c.substring(c.indexOf('/') + 1)));
        boolean compartmentExact = compartment != null
                || ps.stream().allMatch(p -> reach.effectiveCompartment(p, type) == null);
        Optional<Params> granular = TokenReach.granularParams(ps);
        if (compartmentExact && granular.isPresent()) {
            return search.matchIds(type, within, criteria.plus(granular.get()).asMap(), limit);
        }
        List<String> out = new ArrayList<>();
        for (String id : search.matchIds(type, within, criteria.asMap(), Integer.MAX_VALUE)) {
            if (out.size() == limit) {
                break;
            }
            if (reach.visibleCurrent(ps, type, id)) {
                out.add(id);
            }
        }
        return out;
    }

    /** History bundles: entries the token may not see go; deletions of restricted types too (nothing to judge). */
    FhirResponse filterHistory(Access a, FhirResponse response, Permission permission) {
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
            } else if (reach.allUnrestricted(ps, type)) {
                keep = true;
            } else if (e.resource().orElse(null) instanceof ResponseBody.Stored s) {
                keep = reach.visibleContent(ps, type, ResourceReader.readStored(s.version().json()));
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

    /**
     * Drops matches and includes the caller may not see; drops the total when it may count them. With
     * {@code anyRead}, every entry is judged by the read and search permits together (as {@code $everything} is).
     */
    FhirResponse filterEntries(Access a, FhirResponse response, boolean dropTotal, boolean anyRead) {
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
                    : TokenReach.union(a.applicable(v.type(), Permission.READ),
                            a.applicable(v.type(), Permission.SEARCH));
            if (!ps.isEmpty() && reach.visibleVersion(ps, v)) {
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

    private static List<String> requestedTypes(Params params) {
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

    private static String typeOfEntry(BundleContent.Entry e) {
        if (e.resource().orElse(null) instanceof ResponseBody.Stored s) {
            return s.version().type();
        }
        return e.fullUrl().map(u -> {
            String[] parts = u.split("/");
            return parts.length >= 2 ? parts[parts.length - 2] : null;
        }).orElse(null);
    }

    private static FhirRequest withParams(FhirRequest r, Params params) {
        if (params == r.params()) {
            return r;
        }
        return new FhirRequest(r.method(), r.path(), params, r.headers(), r.body(), r.baseUrl(), r.remoteAddress(),
                r.attributes());
    }

    private static FhirResponse rebuild(FhirResponse original, BundleContent content) {
        FhirResponse out = FhirResponse.of(original.status(), new ResponseBody.Bundle(content));
        original.headers().forEach(out::header);
        return out;
    }
}
