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
 * {@link InMemoryMatch} compiled once for many resources: the parameters resolved and their values' matchers built
 * up front, so testing a resource is computing its values (shared through a cache between criteria looking at the
 * same parameter) and comparing bytes. For matching each change against many standing criteria (subscriptions).
 */
public final class CompiledMatch {

    /** One value of one parameter: the resource's values must (or, negated, must not) hit one alternative. */
    private record Test(CompiledParam param, Boolean missing, boolean negate, List<Alternative> alternatives) {
    }

    private final List<Test> tests;
    private final SearchParameterRegistry registry;

    private CompiledMatch(SearchParameterRegistry registry, List<Test> tests) {
        this.registry = registry;
        this.tests = tests;
    }

    /** Empty when a parameter cannot be evaluated in memory (chains, {@code _has}, {@code _list}, no expression). */
    public static Optional<CompiledMatch> compile(SearchParameterRegistry registry, String type,
            Map<String, List<String>> params) {
        List<Test> tests = new ArrayList<>();
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
            if (param.isEmpty() || !param.get().hasPath()) {
                return Optional.empty();
            }
            for (String value : e.getValue()) {
                if ("missing".equals(parsed.modifier())) {
                    tests.add(new Test(param.get(), Boolean.parseBoolean(value.trim()), false, List.of()));
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
                tests.add(new Test(param.get(), null, negate, List.copyOf(alternatives)));
            }
        }
        return Optional.of(new CompiledMatch(registry, List.copyOf(tests)));
    }

    /**
     * Whether {@code resource} matches; {@code values} caches each parameter's values of this resource (pass the same
     * map, e.g. an {@code IdentityHashMap}, to every criteria tested against the resource).
     */
    public boolean matches(Resource resource, Map<CompiledParam, List<byte[]>> values) {
        return matches(param -> values.computeIfAbsent(param, p -> ResourceIndexer.values(resource, p,
                registry::byUrl)));
    }

    /**
     * Whether a resource whose values of each parameter {@code valuesOf} gives (e.g. from the index entries its
     * write computed, without parsing it again) matches.
     */
    public boolean matches(java.util.function.Function<CompiledParam, List<byte[]>> valuesOf) {
        for (Test t : tests) {
            List<byte[]> vs = valuesOf.apply(t.param());
            if (t.missing() != null) {
                if (vs.isEmpty() != t.missing()) {
                    return false;
                }
                continue;
            }
            boolean any = false;
            for (byte[] v : vs) {
                for (Alternative a : t.alternatives()) {
                    if (accepts(a, v)) {
                        any = true;
                        break;
                    }
                }
                if (any) {
                    break;
                }
            }
            if (any == t.negate()) {
                return false;
            }
        }
        return true;
    }

    /**
     * A parameter and whole values of which a matching resource must have at least one (the first test that is a
     * plain list of exact token, reference or URI values, neither negated nor {@code :missing}); empty when no test
     * is. Lets many standing criteria be indexed by value, so a resource is tested only against the criteria whose
     * key values it has.
     */
    public Optional<Key> key() {
        for (Test t : tests) {
            if (t.missing() != null || t.negate() || t.alternatives().isEmpty()) {
                continue;
            }
            List<byte[]> values = new ArrayList<>();
            for (Alternative a : t.alternatives()) {
                if (!a.isExact()) {
                    values = null;
                    break;
                }
                values.addAll(a.exact());
            }
            if (values != null && !values.isEmpty()) {
                return Optional.of(new Key(t.param(), List.copyOf(values)));
            }
        }
        return Optional.empty();
    }

    /** See {@link #key()}. */
    public record Key(CompiledParam param, List<byte[]> values) {
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
