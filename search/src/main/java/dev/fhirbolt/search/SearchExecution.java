package dev.fhirbolt.search;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.fhir.Fhir;
import dev.fhirbolt.search.query.Clause;
import dev.fhirbolt.search.query.ClauseFactory;
import dev.fhirbolt.search.query.IncludeResolver;
import dev.fhirbolt.search.query.IndexReader;
import dev.fhirbolt.search.query.MatchScan;
import dev.fhirbolt.search.query.Planner;
import dev.fhirbolt.search.query.QueryContext;
import dev.fhirbolt.search.query.ResultParams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;

/** One search on one snapshot: filters to ids, ids to a sorted page, the page to resources and includes. */
final class SearchExecution {

    private final ResourceStore store;
    private final SearchParameterRegistry registry;
    private final IndexReader reader;
    private final QueryContext context;
    private final long inMemorySortLimit;

    SearchExecution(ResourceStore store, SearchParameterRegistry registry, IndexReader reader,
            dev.fhirbolt.terminology.TerminologyService terminology, boolean scopedIndexes, long inMemorySortLimit) {
        this.store = store;
        this.inMemorySortLimit = inMemorySortLimit;
        this.registry = registry;
        this.reader = reader;
        this.context = new QueryContext(reader, registry, this::nestedIds, terminology, scopedIndexes);
    }

    QueryContext context() {
        return context;
    }

    private SortedSet<String> nestedIds(String type, Map<String, List<String>> params) {
        List<String> unknown = new ArrayList<>();
        SortedSet<String> ids = ids(context, type, params, unknown);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown search parameter " + unknown + " on " + type);
        }
        return ids;
    }

    /** The ids of one type matching the filters (result parameters are ignored); unknown names are reported. */
    SortedSet<String> ids(QueryContext q, String type, Map<String, List<String>> params, List<String> unknown) {
        List<Clause> clauses = new ArrayList<>();
        params.forEach((name, values) -> {
            if (ResultParams.isResultParam(name)) {
                return;
            }
            for (String value : values) {
                ClauseFactory.build(q, type, name, value).ifPresentOrElse(clauses::add, () -> unknown.add(name));
            }
        });
        return Planner.run(q, type, clauses);
    }

    SearchResult run(SearchRequest request) {
        ResultParams.Builder builder = new ResultParams.Builder();
        Map<String, List<String>> filters = new LinkedHashMap<>();
        Map<String, List<String>> self = new LinkedHashMap<>();
        request.params().forEach((name, values) -> {
            for (String value : values) {
                if (ResultParams.isResultParam(name)) {
                    builder.apply(name, value);
                } else {
                    filters.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                }
                if (!name.equals("_cursor")) {
                    self.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                }
            }
        });
        ResultParams params = builder.build();
        List<String> types = types(request, params);
        Set<String> unknown = new LinkedHashSet<>();
        Map<String, List<Clause>> clauses = clauses(request, types, filters, params, unknown);
        refuseUnresolvedChains(unknown);
        unknown.forEach(self::remove);
        ResultParams applied = withoutUnknownSortKeys(params, types, self);
        return new Pager(store, reader, context, inMemorySortLimit).page(clauses, applied, List.copyOf(unknown), self);
    }

    /**
     * The sort keys no searched type knows are ignored (reported as {@code _sort=code}): the page is sorted by the
     * others, and the self link (and so the paging links) names only those.
     */
    private ResultParams withoutUnknownSortKeys(ResultParams params, List<String> types,
            Map<String, List<String>> self) {
        List<ResultParams.SortKey> known = params.sort().stream()
                .filter(key -> types.stream().anyMatch(t -> registry.find(t, key.code()).isPresent())).toList();
        if (known.size() == params.sort().size()) {
            return params;
        }
        if (known.isEmpty()) {
            self.remove("_sort");
        } else {
            self.put("_sort", List.of(String.join(",", known.stream()
                    .map(k -> (k.descending() ? "-" : "") + k.code()).toList())));
        }
        return new ResultParams(params.count(), known, params.includes(), params.revIncludes(), params.total(),
                params.summary(), params.elements(), params.cursor(), params.types());
    }

    /**
     * A chain or reverse chain that cannot be followed is refused even in lenient handling: ignored, it would widen
     * the search to everything, which is the opposite of what a chain asks for.
     */
    private static void refuseUnresolvedChains(Set<String> unknown) {
        for (String name : unknown) {
            if (name.startsWith("_has:") || (!name.startsWith("_sort=") && name.indexOf('.') > 0)) {
                throw new IllegalArgumentException("the chained search parameter '" + name + "' cannot be"
                        + " followed: a parameter in it is unknown on every type it could lead to");
            }
        }
    }

    /** The clauses of each type that can match, in type order (a type lacking one of the parameters cannot). */
    private Map<String, List<Clause>> clauses(SearchRequest request, List<String> types,
            Map<String, List<String>> filters, ResultParams params, Set<String> unknown) {
        Map<String, List<Clause>> clausesByType = new LinkedHashMap<>();
        Map<String, Set<String>> unknownByType = new LinkedHashMap<>();
        for (String type : types) {
            List<Clause> clauses = new ArrayList<>();
            Set<String> missing = new LinkedHashSet<>();
            filters.forEach((name, values) -> values.forEach(value ->
                    ClauseFactory.build(context, type, name, value).ifPresentOrElse(clauses::add,
                            () -> missing.add(name))));
            request.compartment().ifPresent(c -> clauses.add(ClauseFactory.compartment(context, c.type(), c.id())));
            clausesByType.put(type, clauses);
            unknownByType.put(type, missing);
        }
        Set<String> everywhere = new LinkedHashSet<>(filters.keySet());
        unknownByType.values().forEach(everywhere::retainAll);
        unknown.addAll(everywhere);
        for (ResultParams.SortKey key : params.sort()) {
            if (types.stream().noneMatch(t -> registry.find(t, key.code()).isPresent())) {
                unknown.add("_sort=" + key.code());
            }
        }
        Map<String, List<Clause>> runnable = new LinkedHashMap<>();
        for (String type : types) {
            Set<String> missing = new LinkedHashSet<>(unknownByType.get(type));
            missing.removeAll(everywhere);
            if (missing.isEmpty()) {
                runnable.put(type, clausesByType.get(type));
            }
        }
        return runnable;
    }

    /** Up to {@code limit} ids of one type matching the filters, read lazily; unknown names are reported. */
    List<String> firstIds(String type, Optional<SearchRequest.Compartment> compartment,
            Map<String, List<String>> params, List<String> unknown, int limit) {
        List<Clause> clauses = new ArrayList<>();
        compartment.ifPresent(c -> clauses.add(ClauseFactory.compartment(context, c.type(), c.id())));
        params.forEach((name, values) -> {
            if (ResultParams.isResultParam(name)) {
                return;
            }
            for (String value : values) {
                ClauseFactory.build(context, type, name, value).ifPresentOrElse(clauses::add,
                        () -> unknown.add(name));
            }
        });
        List<String> ids = new ArrayList<>();
        if (!unknown.isEmpty()) {
            return ids;
        }
        MatchScan scan = new MatchScan(context, type, Planner.plan(context, type, clauses));
        for (String id = scan.next(); id != null && ids.size() < limit; id = scan.next()) {
            ids.add(id);
        }
        return ids;
    }

    private static List<String> types(SearchRequest request, ResultParams params) {
        List<String> types = request.type().map(List::of).orElse(params.types().isEmpty()
                ? List.copyOf(Fhir.resourceTypes()) : params.types());
        for (String type : types) {
            if (!Fhir.isResourceType(type)) {
                throw FhirException.invalid("unknown resource type " + type);
            }
        }
        return types.stream().sorted().toList();
    }

    static Optional<ResourceVersion> load(ResourceStore store, IndexReader reader, String type, String id) {
        return Optional.ofNullable(SearchEngine.load(store, reader.snapshot(), type, id));
    }

    static IncludeResolver includes(ResourceStore store, IndexReader reader, QueryContext q) {
        return new IncludeResolver(q, (type, id) -> SearchEngine.load(store, reader.snapshot(), type, id));
    }
}
