package dev.fhirbolt.authz;

import dev.fhirbolt.auth.SmartScope;
import dev.fhirbolt.auth.SmartScope.Permission;
import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.fhir.Fhir;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.Params;
import dev.fhirbolt.rest.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * $export kick-off under SMART scopes. System and Group level need system/ scopes. Patient level with a token held to
 * a patient exports that patient only. Every exported type needs {@code r} and {@code s}; {@code _type} is set to
 * what the scopes allow, and granular scopes become {@code _typeFilter}s (combined with the client's own).
 */
final class ExportPolicy {

    private ExportPolicy() {
    }

    static FhirRequest narrow(TokenReach reach, Access a, FhirRequest request, Route route) {
        boolean patientLevel = route.type().isPresent() && route.id().isEmpty() && route.requireType().equals("Patient");
        List<Permit> exportPermits = a.permits().stream()
                .filter(p -> p.permits(Permission.READ) && p.permits(Permission.SEARCH)).toList();
        String compartment = null;
        if (!patientLevel) {
            if (exportPermits.stream().noneMatch(p -> p.scope().context() == SmartScope.Context.SYSTEM)) {
                throw new FhirException(403, IssueType.FORBIDDEN, (route.type().isPresent() ? "Group" : "system")
                        + "-level $export needs system/ scopes (e.g. system/*.rs) of a backend service");
            }
            exportPermits = exportPermits.stream().filter(p -> p.scope().context() == SmartScope.Context.SYSTEM)
                    .toList();
        } else {
            Set<String> compartments = new LinkedHashSet<>();
            exportPermits.forEach(p -> compartments.add(p.compartment()));
            if (exportPermits.isEmpty()) {
                throw TokenReach.forbidden(a, "*", Permission.READ, "$export needs read and search scopes");
            }
            if (compartments.contains(null)) {
                exportPermits = exportPermits.stream().filter(p -> p.compartment() == null).toList();
            } else if (compartments.size() == 1 && compartments.iterator().next().startsWith("Patient/")) {
                compartment = compartments.iterator().next();
            } else {
                throw new FhirException(403, IssueType.FORBIDDEN, "$export with these scopes is not available");
            }
        }
        if (compartment != null && "POST".equals(request.method()) && request.hasBody()) {
            throw new FhirException(403, IssueType.FORBIDDEN, "with patient-restricted access, start $export with"
                    + " GET and query parameters");
        }
        List<String> requested = new ArrayList<>();
        for (String v : request.params().values("_type")) {
            for (String t : v.split(",")) {
                if (!t.isBlank()) {
                    requested.add(t.trim());
                }
            }
        }
        List<String> candidates = requested.isEmpty() ? new ArrayList<>(patientLevel
                ? reach.compartmentTypes("Patient") : Fhir.resourceTypes()) : requested;
        Map<String, List<Permit>> byType = new LinkedHashMap<>();
        for (String type : candidates) {
            List<Permit> ps = new ArrayList<>();
            for (Permit p : exportPermits) {
                if (p.appliesTo(type)) {
                    ps.add(p);
                }
            }
            if (ps.isEmpty()) {
                if (!requested.isEmpty()) {
                    throw TokenReach.forbidden(a, type, Permission.READ, "$export of " + type
                            + " needs read and search");
                }
                continue;
            }
            byType.put(type, ps);
        }
        if (byType.isEmpty()) {
            throw TokenReach.forbidden(a, "*", Permission.READ, "the scopes allow no type to be exported");
        }
        // _typeFilter: the client's, crossed with granular scopes where a type has only granular permits
        Map<String, List<String>> clientFilters = new LinkedHashMap<>();
        for (String v : request.params().values("_typeFilter")) {
            for (String one : v.split(",(?=[A-Z][A-Za-z]+\\?)")) {
                int q = one.indexOf('?');
                if (q > 0) {
                    clientFilters.computeIfAbsent(one.substring(0, q), k -> new ArrayList<>()).add(one.substring(q + 1));
                }
            }
        }
        List<Params.Param> filters = new ArrayList<>();
        for (Map.Entry<String, List<Permit>> e : byType.entrySet()) {
            String type = e.getKey();
            boolean granularOnly = e.getValue().stream().allMatch(Permit::granular);
            List<String> own = clientFilters.getOrDefault(type, List.of());
            if (!granularOnly) {
                own.forEach(q -> filters.add(new Params.Param("_typeFilter", type + "?" + q)));
                continue;
            }
            for (Permit p : e.getValue()) {
                if (own.isEmpty()) {
                    filters.add(new Params.Param("_typeFilter", type + "?" + p.query()));
                } else {
                    own.forEach(q -> filters.add(new Params.Param("_typeFilter", type + "?" + q + "&" + p.query())));
                }
            }
        }
        Params params = request.params().without(n -> n.equals("_type") || n.equals("_typeFilter")
                || (n.equals("patient") && false));
        params = params.plus(new Params(List.of(new Params.Param("_type", String.join(",", byType.keySet())))));
        params = params.plus(new Params(filters));
        if (compartment != null) {
            String patient = compartment.substring("Patient/".length());
            for (String asked : request.params().values("patient")) {
                String id = asked.startsWith("Patient/") ? asked.substring(8) : asked;
                if (!id.equals(patient)) {
                    throw FhirException.notFound("Patient/" + id + " is not known");
                }
            }
            params = params.without(n -> n.equals("patient"))
                    .plus(new Params(List.of(new Params.Param("patient", patient))));
        }
        return new FhirRequest(request.method(), request.path(), params, request.headers(), request.body(),
                request.baseUrl(), request.remoteAddress(), request.attributes());
    }
}
