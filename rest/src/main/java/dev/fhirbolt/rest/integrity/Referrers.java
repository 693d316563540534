package dev.fhirbolt.rest.integrity;

import dev.fhirbolt.search.SearchEngine;
import dev.fhirbolt.search.param.CompiledParam;
import dev.fhirbolt.search.param.ParamType;
import dev.fhirbolt.fhir.Fhir;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who refers to a resource, found through the reference search parameters' index entries: for each resource type,
 * each reference parameter that may point to the target's type is asked for {@code Type/id}. References in elements
 * that no search parameter covers are not found.
 */
public final class Referrers {

    private final SearchEngine search;

    public Referrers(SearchEngine search) {
        this.search = search;
    }

    /** Up to {@code limit} referrers as {@code Type/id}, the resource itself excluded. */
    public Set<String> of(String type, String id, int limit) {
        String target = type + "/" + id;
        Set<String> found = new LinkedHashSet<>();
        for (String source : Fhir.resourceTypes()) {
            for (CompiledParam param : search.registry().indexed(source)) {
                if (param.type() != ParamType.REFERENCE || !param.hasPath()
                        || !param.def().targets().isEmpty() && !param.def().targets().contains(type)) {
                    continue;
                }
                for (String referrer : search.matchIds(source, Map.of(param.code(), List.of(target)),
                        limit - found.size() + 1)) {
                    String name = source + "/" + referrer;
                    if (!name.equals(target)) {
                        found.add(name);
                    }
                    if (found.size() >= limit) {
                        return found;
                    }
                }
            }
        }
        return found;
    }
}
