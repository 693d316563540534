package dev.fhirbolt.search;

import dev.fhirbolt.fhir.Fhir;
import dev.fhirbolt.search.index.UnionParams;
import dev.fhirbolt.search.param.CompiledParam;
import dev.fhirbolt.search.param.CustomParams;
import dev.fhirbolt.search.param.FhirPaths;
import dev.fhirbolt.search.param.LazyExpression;
import dev.fhirbolt.search.param.ParamDef;
import dev.fhirbolt.search.param.PathSplitter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.SearchParameter;

/**
 * Every search parameter the server knows: the R4 built-ins and those defined by SearchParameter resources stored on
 * the server. The write path calls {@link #register} when a SearchParameter is committed and {@link #unregister}
 * when one is deleted; existing data is found by a new parameter once a reindex of the types it applies to has run
 * ({@code dev.fhirbolt.search.reindex.ReindexService}).
 */
public final class SearchParameterRegistry {

    private final Map<String, Map<String, ParamDef>> builtin;
    private final Map<String, ParamDef> customById = new ConcurrentHashMap<>();
    private final Map<String, Map<String, CompiledParam>> compiled = new ConcurrentHashMap<>();
    private final Map<String, Map<String, List<String>>> unions = new ConcurrentHashMap<>();
    private final Map<String, List<CompiledParam>> indexed = new ConcurrentHashMap<>();
    private volatile Map<String, ParamDef> byUrl;

    public SearchParameterRegistry() {
        this.builtin = dev.fhirbolt.search.param.BuiltinAccess.load();
        rebuildUrls();
    }

    /** Adds or replaces the parameter defined by a stored SearchParameter resource (keyed by its id). */
    public void register(SearchParameter resource) {
        ParamDef def = CustomParams.convert(resource);
        if (def.expression() != null && !def.expression().isBlank()) {
            FhirPaths.parse(def.expression());
        }
        customById.put(resource.getIdElement().getIdPart(), def);
        forget();
        rebuildUrls();
    }

    /** Forgets the parameter of a deleted SearchParameter resource. */
    public void unregister(String searchParameterId) {
        if (customById.remove(searchParameterId) != null) {
            forget();
            rebuildUrls();
        }
    }

    /**
     * The resource types whose index entries the custom parameter of a stored SearchParameter affects: its bases,
     * every type for Resource or DomainResource. Empty when the id defines no known parameter.
     */
    public Set<String> typesAffectedBy(String searchParameterId) {
        ParamDef def = customById.get(searchParameterId);
        if (def == null) {
            return Set.of();
        }
        if (def.base().contains("Resource") || def.base().contains("DomainResource")) {
            return Fhir.resourceTypes();
        }
        Set<String> types = new java.util.TreeSet<>(def.base());
        types.retainAll(Fhir.resourceTypes());
        return types;
    }

    /** The parameters that apply to a type, by code. */
    public Map<String, CompiledParam> forType(String type) {
        return compiled.computeIfAbsent(type, this::compile);
    }

    /**
     * The parameters of a type that get index entries of their own: all but the unions of others
     * ({@link UnionParams}), whose values their parts' entries hold.
     */
    public List<CompiledParam> indexed(String type) {
        return indexed.computeIfAbsent(type, t -> forType(t).values().stream()
                .filter(p -> !unions(t).containsKey(p.code())).toList());
    }

    /**
     * The codes whose index entries hold a parameter's values: its parts when it is a union of other parameters
     * ({@link UnionParams}), else the code itself.
     */
    public List<String> storedCodes(String type, String code) {
        return unions(type).getOrDefault(code, List.of(code));
    }

    /** Whether a parameter of the type is a union of others, with no index entries of its own. */
    public boolean isUnion(String type, String code) {
        return unions(type).containsKey(code);
    }

    private Map<String, List<String>> unions(String type) {
        return unions.computeIfAbsent(type, t -> UnionParams.of(forType(t), this::byUrl));
    }

    private void forget() {
        compiled.clear();
        unions.clear();
        indexed.clear();
    }

    public Optional<CompiledParam> find(String type, String code) {
        return Optional.ofNullable(forType(type).get(code));
    }

    public Optional<ParamDef> byUrl(String url) {
        return Optional.ofNullable(byUrl.get(url));
    }

    /** What the CapabilityStatement lists for a type. */
    public List<SupportedParam> supported(String type) {
        List<SupportedParam> out = new ArrayList<>();
        for (CompiledParam p : forType(type).values()) {
            out.add(new SupportedParam(p.code(), p.type().code(), p.def().url(), p.def().description()));
        }
        return out;
    }

    private Map<String, CompiledParam> compile(String type) {
        Map<String, ParamDef> defs = new LinkedHashMap<>(builtin.getOrDefault(type, Map.of()));
        for (ParamDef def : customById.values()) {
            if (def.base().contains(type) || def.base().contains("Resource")
                    || def.base().contains("DomainResource") && !type.equals("Bundle") && !type.equals("Binary")
                    && !type.equals("Parameters")) {
                defs.put(def.code(), def);
            }
        }
        Map<String, CompiledParam> out = new LinkedHashMap<>();
        for (ParamDef def : defs.values()) {
            String path = def.expression() == null ? "" : PathSplitter.forType(def.expression(), type,
                    Fhir.resourceTypes());
            if (path.isEmpty() && def.components().isEmpty()) {
                continue;
            }
            out.put(def.code(), new CompiledParam(def, type, path, path.isEmpty() ? null : new LazyExpression(path)));
        }
        return Map.copyOf(out);
    }

    private void rebuildUrls() {
        Map<String, ParamDef> urls = new HashMap<>();
        for (Map<String, ParamDef> params : builtin.values()) {
            for (ParamDef def : params.values()) {
                urls.putIfAbsent(def.url(), def);
            }
        }
        for (ParamDef def : customById.values()) {
            if (def.url() != null) {
                urls.put(def.url(), def);
            }
        }
        this.byUrl = urls;
    }

    Collection<String> types() {
        return builtin.keySet();
    }
}
