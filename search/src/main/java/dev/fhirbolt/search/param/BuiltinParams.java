package dev.fhirbolt.search.param;

import ca.uhn.fhir.context.RuntimeSearchParam;
import dev.fhirbolt.fhir.Fhir;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The R4 search parameters HAPI ships (the spec's definitions), plus the few common ones it lacks. */
final class BuiltinParams {

    private BuiltinParams() {
    }

    /** Per resource type, its parameters by code. */
    static Map<String, Map<String, ParamDef>> load() {
        Map<String, Map<String, ParamDef>> byType = new LinkedHashMap<>();
        for (String type : Fhir.resourceTypes()) {
            Map<String, ParamDef> params = new LinkedHashMap<>();
            for (RuntimeSearchParam sp : Fhir.context().getResourceDefinition(type).getSearchParams()) {
                if (sp.getPath() == null || sp.getPath().isBlank() || sp.getParamType() == null) {
                    continue;
                }
                params.put(sp.getName(), convert(sp, type));
            }
            params.putIfAbsent("_source", new ParamDef("_source", ParamType.URI,
                    "http://hl7.org/fhir/SearchParameter/Resource-source", "Identifies where the resource comes from",
                    Set.of("Resource"), "Resource.meta.source", Set.of(), Set.of(), List.of()));
            byType.put(type, params);
        }
        return byType;
    }

    private static ParamDef convert(RuntimeSearchParam sp, String type) {
        List<ParamDef.Component> components = new ArrayList<>();
        for (RuntimeSearchParam.Component c : sp.getComponents()) {
            components.add(new ParamDef.Component(c.getReference(), c.getExpression()));
        }
        Set<String> base = sp.getBase() == null || sp.getBase().isEmpty() ? Set.of(type) : sp.getBase();
        Set<String> compartments = sp.getProvidesMembershipInCompartments() == null ? Set.of()
                : new HashSet<>(sp.getProvidesMembershipInCompartments());
        return new ParamDef(sp.getName(), ParamType.ofCode(sp.getParamType().getCode()), sp.getUri(),
                sp.getDescription() == null ? "" : sp.getDescription(), base, sp.getPath(),
                sp.getTargets() == null ? Set.of() : sp.getTargets(), compartments, components);
    }
}
