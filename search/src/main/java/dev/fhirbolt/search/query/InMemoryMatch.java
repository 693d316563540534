package dev.fhirbolt.search.query;

import dev.fhirbolt.search.SearchParameterRegistry;
import dev.fhirbolt.search.index.ResourceIndexer;
import dev.fhirbolt.search.param.CompiledParam;
import dev.fhirbolt.search.param.ParamType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Resource;

/**
 * Tests one resource against simple search parameters without the indexes: the resource's encoded values (as the
 * indexer computes them) against each value's ranges and test. Chains, {@code _has}, {@code _list} and parameters
 * without an expression are not evaluated here (empty answer).
 */
public final class InMemoryMatch {

    private InMemoryMatch() {
    }

    /** True / false when every parameter could be evaluated; empty when one cannot be evaluated in memory. */
    public static Optional<Boolean> matches(SearchParameterRegistry registry, Resource resource,
            Map<String, List<String>> params) {
        String type = resource.fhirType();
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            String name = e.getKey();
            if (name.startsWith("_has:") || name.equals("_list") || ResultParams.isResultParam(name)) {
                return Optional.empty();
            }
            ParsedName parsed = ParsedName.parse(name);
            if (parsed.chain() != null) {
                return Optional.empty();
            }
            Optional<CompiledParam> param = registry.find(type, parsed.code());
            if (param.isEmpty() || param.get().parsed() == null) {
                return Optional.empty();
            }
            List<byte[]> values = ResourceIndexer.values(resource, param.get(), registry::byUrl);
            for (String value : e.getValue()) {
                if ("missing".equals(parsed.modifier())) {
                    if (values.isEmpty() != Boolean.parseBoolean(value.trim())) {
                        return Optional.of(false);
                    }
                    continue;
                }
                boolean negate = "not".equals(parsed.modifier()) && param.get().type() == ParamType.TOKEN;
                String modifier = negate ? null : parsed.modifier();
                List<Alternative> alternatives = new ArrayList<>();
                try {
                    for (String part : Escapes.split(value, ',')) {
                        alternatives.add(Matchers.build(param.get(), modifier, part, registry::byUrl));
                    }
                } catch (UnsupportedModifier | IllegalArgumentException ex) {
                    return Optional.empty();
                }
                boolean any = values.stream().anyMatch(v -> alternatives.stream().anyMatch(a -> accepts(a, v)));
                if (any == negate) {
                    return Optional.of(false);
                }
            }
        }
        return Optional.of(true);
    }

    private static boolean accepts(Alternative a, byte[] v) {
        for (Alternative.VRange r : a.ranges()) {
            if (Arrays.compareUnsigned(v, r.from()) >= 0 && (r.to() == null || Arrays.compareUnsigned(v, r.to()) < 0)
                    && a.test().test(v)) {
                return true;
            }
        }
        return false;
    }
}
