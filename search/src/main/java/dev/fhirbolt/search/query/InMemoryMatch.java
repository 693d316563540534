package dev.fhirbolt.search.query;

import dev.fhirbolt.search.SearchParameterRegistry;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Resource;

/**
 * Tests one resource against simple search parameters without the indexes: the resource's encoded values (as the
 * indexer computes them) against each value's ranges and test. Chains, {@code _has}, {@code _list} and parameters
 * without an expression are not evaluated here (empty answer). The one-resource use of {@link CompiledMatch}.
 */
public final class InMemoryMatch {

    private InMemoryMatch() {
    }

    /** True / false when every parameter could be evaluated; empty when one cannot be evaluated in memory. */
    public static Optional<Boolean> matches(SearchParameterRegistry registry, Resource resource,
            Map<String, List<String>> params) {
        return CompiledMatch.compile(registry, resource.fhirType(), params)
                .map(match -> match.matches(resource, new IdentityHashMap<>()));
    }
}
