package dev.fhirbolt.authz;

import dev.fhirbolt.auth.SmartScope.Permission;
import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.rest.Params;
import dev.fhirbolt.search.SearchEngine;
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
 * What an access token reaches: which permits apply to an interaction (403 without one), and whether a resource
 * lies within them — inside the permit's compartment (by the compartment index, or by the resource's own content
 * for versions that are not current) and matching its granular parameters. The filters of this package ask here;
 * nothing here changes a request.
 */
final class TokenReach {

    private final SearchEngine search;
    private final ResourceStore store;
    private final Map<String, Set<String>> compartmentTypes = new ConcurrentHashMap<>();

    TokenReach(SearchEngine search, ResourceStore store) {
        this.search = search;
        this.store = store;
    }

    // ------------------------------------------------------------------ permits

    /** The permits for the interaction; 403 naming the missing scope without one. */
    List<Permit> require(Access a, String type, Permission permission) {
        List<Permit> ps = a.applicable(type, permission);
        if (ps.isEmpty()) {
            throw forbidden(a, type, permission, null);
        }
        return ps;
    }

    /** Like {@link #require}, and one of the permits must reach every resource of the type. */
    void requireUnrestricted(Access a, String type, Permission permission, String what) {
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

    /** An existing current version out of reach answers 404, as if it did not exist. */
    void checkExistingVisible(List<Permit> ps, String type, String id) {
        Optional<ResourceVersion> current = store.readCurrent(type, id).filter(v -> !v.deleted());
        if (current.isPresent() && !visibleVersion(ps, current.get())) {
            throw FhirException.notFound(type + "/" + id + " is not known");
        }
    }

    /** What a write would store must lie within the permits: 403 saying where the token may write. */
    void checkContent(List<Permit> ps, String type, String id, Resource resource) {
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

    static FhirException forbidden(Access a, String type, Permission permission, String detail) {
        String suggested = a.suggestedContext() + "/" + type + "." + permission.letter();
        String has = a.permits().stream().map(p -> p.scope().raw()).collect(Collectors.joining(" "));
        return new FhirException(403, IssueType.FORBIDDEN, (detail == null ? "" : detail + "; ")
                + permission.word() + " of " + type + " needs the scope " + suggested
                + " (or a wider one); the access token's resource scopes are: " + (has.isEmpty() ? "(none)" : has));
    }

    // ------------------------------------------------------------------ compartments and granular parameters

    boolean allUnrestricted(List<Permit> ps, String type) {
        return ps.stream().anyMatch(p -> !p.granular() && effectiveCompartment(p, type) == null);
    }

    /** The compartment the permit holds a type to; null when the type is not in the compartment's definition. */
    String effectiveCompartment(Permit p, String type) {
        if (p.compartment() == null) {
            return null;
        }
        return compartmentTypes(p.compartmentType()).contains(type) ? p.compartment() : null;
    }

    Set<String> compartmentTypes(String compartmentType) {
        return compartmentTypes.computeIfAbsent(compartmentType, search::compartmentTypes);
    }

    /** The compartment every permit of every type is held to, when they all share one and all types are in it. */
    String commonCompartment(Map<String, List<Permit>> permits) {
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
    static Optional<Params> granularParams(List<Permit> ps) {
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

    // ------------------------------------------------------------------ is this resource within reach

    /** The current version of type/id, by the compartment index and (for granular permits) its content. */
    boolean visibleCurrent(List<Permit> ps, String type, String id) {
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

    /** A current version served by a search: compartment by the index, granular by content. */
    boolean visibleVersion(List<Permit> ps, ResourceVersion v) {
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

    static List<Permit> union(Collection<Permit> a, Collection<Permit> b) {
        LinkedHashSet<Permit> out = new LinkedHashSet<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }
}
