package dev.fhirbolt.search.param;

import java.util.List;
import java.util.Set;

/**
 * A search parameter as defined (built-in R4 or a SearchParameter resource): what it is called, its type, the FHIRPath
 * it extracts values with, and for references the target types and the compartments it places resources in.
 */
public record ParamDef(String code, ParamType type, String url, String description, Set<String> base,
        String expression, Set<String> targets, Set<String> compartments, List<Component> components) {

    /** A part of a composite parameter: the definition URL of the component parameter and its relative path. */
    public record Component(String definition, String expression) {
    }

    public ParamDef {
        base = Set.copyOf(base);
        targets = Set.copyOf(targets);
        compartments = Set.copyOf(compartments);
        components = List.copyOf(components);
    }
}
