package dev.fhirbolt.search;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.database.ReadSet;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.search.query.IndexReader;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.terminology.TerminologyService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Answers FHIR searches from the search indexes. Every query reads one snapshot, so a page is consistent; it starts
 * from its most selective index and loads only the resources of the page and its includes.
 */
public final class SearchEngine {

    /**
     * The most matches a search reads to sort them in memory (each costs a read of its sort values, about 10 µs): a
     * reference or multi-key sort over every Observation of a few thousand patients, and a bound on the time one
     * search takes. Only the page is held, so memory does not limit it.
     */
    public static final long IN_MEMORY_SORT_LIMIT = 1_000_000;

    private final ResourceStore store;
    private final SearchParameterRegistry registry;
    private final TerminologyService terminology;
    private final BooleanSupplier scopedIndexesComplete;
    private final long inMemorySortLimit;
    private volatile SearchObserver observer = (read, returned, nanos) -> { };

    public SearchEngine(ResourceStore store, SearchParameterRegistry registry) {
        this(store, registry, () -> true);
    }

    /**
     * @param scopedIndexesComplete whether search-patient and search-code-date hold every stored resource's entries;
     *                              false while an index-format upgrade fills them, when searches take the plain path
     */
    public SearchEngine(ResourceStore store, SearchParameterRegistry registry, BooleanSupplier scopedIndexesComplete) {
        this(store, registry, scopedIndexesComplete, IN_MEMORY_SORT_LIMIT);
    }

    /** With another bound on the matches sorted in memory than {@link #IN_MEMORY_SORT_LIMIT} (for tests). */
    SearchEngine(ResourceStore store, SearchParameterRegistry registry, BooleanSupplier scopedIndexesComplete,
            long inMemorySortLimit) {
        this.store = store;
        this.registry = registry;
        this.scopedIndexesComplete = scopedIndexesComplete;
        this.inMemorySortLimit = inMemorySortLimit;
        this.terminology = TerminologyService.following(store);
    }

    /** The code systems, value sets and concept maps (stored and core) that token modifiers such as :in use. */
    public TerminologyService terminology() {
        return terminology;
    }

    /** The keyspaces of the search indexes; open the store with these next to the database's. */
    public static List<Keyspace> keyspaces() {
        return SearchKeyspaces.ALL;
    }

    public SearchParameterRegistry registry() {
        return registry;
    }

    /** The parameters a type supports, for the CapabilityStatement. */
    public List<SupportedParam> supportedParams(String type) {
        return registry.supported(type);
    }

    public SearchResult search(SearchRequest request) {
        try (KvSnapshot snapshot = store.snapshot()) {
            return search(snapshot, request);
        }
    }

    /** Tells {@code observer} of every search answered from now on (one observer: the server's metrics). */
    public void observe(SearchObserver observer) {
        this.observer = observer;
    }

    /** Searches a given snapshot (e.g. one taken inside a commit planner). */
    public SearchResult search(KvSnapshot snapshot, SearchRequest request) {
        recordRead(request.type(), request.compartment(), request.params().keySet());
        long start = System.nanoTime();
        // not closed here: the snapshot it counts for is the caller's
        dev.fhirbolt.storage.ReadCountingSnapshot counted = new dev.fhirbolt.storage.ReadCountingSnapshot(snapshot);
        try (IndexReader reader = new IndexReader(counted, registry)) {
            SearchResult result = new SearchExecution(store, registry, reader, terminology,
                    scopedIndexesComplete.getAsBoolean(), inMemorySortLimit).run(request);
            observer.searched(counted.entriesRead(), result.matches().size(),
                    System.nanoTime() - start);
            return result;
        } catch (IllegalArgumentException e) {
            throw FhirException.invalid(e.getMessage());
        } catch (UnsupportedOperationException e) {
            throw FhirException.notSupported("not supported: " + e.getMessage());
        }
    }

    /**
     * The ids of a type that a conditional interaction's criteria match, at most {@code limit} of them (ask for 2 to
     * tell one match from several). Unknown parameters are an error here: a condition must not be ignored.
     */
    public List<String> matchIds(String type, Map<String, List<String>> params, int limit) {
        return matchIds(type, java.util.Optional.empty(), params, limit);
    }

    /** {@link #matchIds(String, Map, int)} among the resources of one compartment (e.g. Patient/123) only. */
    public List<String> matchIds(String type, java.util.Optional<SearchRequest.Compartment> compartment,
            Map<String, List<String>> params, int limit) {
        try (KvSnapshot snapshot = store.snapshot()) {
            return matchIds(snapshot, type, compartment, params, limit);
        }
    }

    public List<String> matchIds(KvSnapshot snapshot, String type, Map<String, List<String>> params, int limit) {
        return matchIds(snapshot, type, java.util.Optional.empty(), params, limit);
    }

    private List<String> matchIds(KvSnapshot snapshot, String type,
            java.util.Optional<SearchRequest.Compartment> compartment, Map<String, List<String>> params, int limit) {
        recordRead(java.util.Optional.of(type), compartment, params.keySet());
        try (IndexReader reader = new IndexReader(snapshot, registry)) {
            SearchExecution execution = new SearchExecution(store, registry, reader, terminology,
                    scopedIndexesComplete.getAsBoolean(), inMemorySortLimit);
            List<String> unknown = new ArrayList<>();
            List<String> ids = execution.firstIds(type, compartment, params, unknown, limit);
            if (!unknown.isEmpty()) {
                throw FhirException.invalid("unknown search parameter(s) in the condition: " + unknown);
            }
            return ids;
        } catch (IllegalArgumentException e) {
            throw FhirException.invalid(e.getMessage());
        }
    }

    /**
     * Tells the cluster which types a search reads ({@link ReadSet}): its own type and compartment, and any type at
     * all for chains, reverse chains and includes, whose targets are only known while they run.
     */
    private static void recordRead(java.util.Optional<String> type,
            java.util.Optional<SearchRequest.Compartment> compartment, java.util.Collection<String> params) {
        boolean crossesTypes = type.isEmpty() || params.stream().anyMatch(p -> p.indexOf('.') >= 0
                || p.startsWith("_has") || p.startsWith("_include") || p.startsWith("_revinclude"));
        if (crossesTypes) {
            ReadSet.readAll();
            return;
        }
        ReadSet.read(type.get());
        compartment.ifPresent(c -> ReadSet.read(c.type()));
    }

    /** Ids of the resources of {@code type} in a compartment (e.g. Patient/123), from the compartment index. */
    public List<String> compartmentIds(String compartmentType, String compartmentId, String type) {
        try (KvSnapshot snapshot = store.snapshot(); IndexReader reader = new IndexReader(snapshot, registry)) {
            return List.copyOf(reader.compartment(compartmentType, compartmentId, type));
        }
    }

    /**
     * The resource types that can belong to a compartment (R4 CompartmentDefinition): those with a search parameter
     * that places them in it, and the compartment's own type.
     */
    public java.util.Set<String> compartmentTypes(String compartmentType) {
        java.util.Set<String> types = new java.util.TreeSet<>();
        types.add(compartmentType);
        for (String type : dev.fhirbolt.fhir.Fhir.resourceTypes()) {
            if (registry.forType(type).values().stream()
                    .anyMatch(p -> p.def().compartments().contains(compartmentType))) {
                types.add(type);
            }
        }
        return types;
    }

    /**
     * True when the current version of {@code type/id} is in the compartment (one point lookup in the compartment
     * index). A compartment's own resource (Patient/123 for Patient/123) is in it.
     */
    public boolean inCompartment(String compartmentType, String compartmentId, String type, String id) {
        return store.kv().get(SearchKeyspaces.COMPARTMENT,
                dev.fhirbolt.search.index.IndexKeys.compartmentKey(compartmentType, compartmentId, type, id))
                .isPresent();
    }

    /**
     * The compartments ({@code Patient/123}, {@code Encounter/e1}, ...) a resource is in by its own content, as the
     * indexer would record them: evaluates only the parameters that place resources in compartments. The resource
     * needs its id when it is itself a compartment resource.
     */
    public java.util.Set<String> compartmentsOf(org.hl7.fhir.r4.model.Resource resource) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        String type = resource.fhirType();
        for (dev.fhirbolt.search.param.CompiledParam param : registry.forType(type).values()) {
            if (param.def().compartments().isEmpty() || !param.hasPath()) {
                continue;
            }
            for (byte[] v : dev.fhirbolt.search.index.ResourceIndexer.values(resource, param, registry::byUrl)) {
                if (v[0] == dev.fhirbolt.search.index.Encoded.LOCAL_REF) {
                    String ref = dev.fhirbolt.search.index.Encoded.parts(v)[0];
                    if (param.def().compartments().contains(ref.substring(0, ref.indexOf('/')))) {
                        out.add(ref);
                    }
                }
            }
        }
        String id = resource.getIdElement().getIdPart();
        if (id != null && dev.fhirbolt.search.index.ResourceIndexer.COMPARTMENT_TYPES.contains(type)) {
            out.add(type + "/" + id);
        }
        return out;
    }

    /**
     * Tests a resource against simple parameters in memory (no chains or {@code _has}); empty when a parameter cannot
     * be evaluated that way. Used to check granular SMART scopes on resources being written or old versions.
     */
    public java.util.Optional<Boolean> matchesInMemory(org.hl7.fhir.r4.model.Resource resource,
            Map<String, List<String>> params) {
        return dev.fhirbolt.search.query.InMemoryMatch.matches(registry, resource, params);
    }

    /** Reads a match's current version through the snapshot; null when deleted or absent. */
    static ResourceVersion load(ResourceStore store, KvSnapshot snapshot, String type, String id) {
        return store.readCurrent(snapshot, type, id).filter(v -> !v.deleted()).orElse(null);
    }
}
