package dev.fhirbolt.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A search as the client asked it: a resource type (or none for a system search, narrowed by _type), optionally a
 * compartment ("Patient", "123") with type or "*", and the raw parameters in request order, names with modifiers or
 * chains as sent ("name:exact", "subject:Patient.name"), each value as sent (commas mean OR).
 */
public record SearchRequest(Optional<String> type, Optional<Compartment> compartment,
        Map<String, List<String>> params) {

    /** The compartment a search is restricted to. */
    public record Compartment(String type, String id) {
    }

    public SearchRequest {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        params = Collections.unmodifiableMap(copy);
        type = type.filter(t -> !t.equals("*"));
    }

    public static SearchRequest ofType(String type, Map<String, List<String>> params) {
        return new SearchRequest(Optional.of(type), Optional.empty(), params);
    }

    public static SearchRequest system(Map<String, List<String>> params) {
        return new SearchRequest(Optional.empty(), Optional.empty(), params);
    }

    /** Patient/123/Observation, or Patient/123/* with type "*". */
    public static SearchRequest inCompartment(String compartmentType, String compartmentId, String type,
            Map<String, List<String>> params) {
        return new SearchRequest(Optional.of(type), Optional.of(new Compartment(compartmentType, compartmentId)),
                params);
    }

    /** Builds the parameter map from name=value pairs, for tests and internal callers. */
    public static Map<String, List<String>> params(String... nameValues) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < nameValues.length; i += 2) {
            out.computeIfAbsent(nameValues[i], k -> new ArrayList<>()).add(nameValues[i + 1]);
        }
        return out;
    }
}
