package dev.fhirbolt.search;

import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.search.query.Hit;
import dev.fhirbolt.search.query.IndexReader;
import dev.fhirbolt.search.query.PageCursor;
import dev.fhirbolt.search.query.QueryContext;
import dev.fhirbolt.search.query.ResultParams;
import dev.fhirbolt.search.query.Sorter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Cuts the page the cursor asks for out of the sorted hits, loads it and its includes, and makes the links. */
final class Pager {

    private final ResourceStore store;
    private final IndexReader reader;
    private final QueryContext context;

    Pager(ResourceStore store, IndexReader reader, QueryContext context) {
        this.store = store;
        this.reader = reader;
        this.context = context;
    }

    SearchResult page(List<Hit> hits, ResultParams params, List<String> unknown, Map<String, List<String>> self) {
        OptionalLong total = params.total().equals("none") ? OptionalLong.empty() : OptionalLong.of(hits.size());
        boolean countOnly = params.summary().filter("count"::equals).isPresent();
        if (countOnly || params.count() == 0) {
            return new SearchResult(List.of(), List.of(), OptionalLong.of(hits.size()), Optional.empty(),
                    Optional.empty(), unknown, self, params.summary(), params.elements(), params.count());
        }
        Comparator<Hit> order = Sorter.comparator(params.sort());
        int start = 0;
        int end = Math.min(hits.size(), params.count());
        if (params.cursor().isPresent()) {
            PageCursor cursor = PageCursor.decode(params.cursor().get());
            if (cursor.boundary().keys().length != params.sort().size()) {
                throw new IllegalArgumentException("the _cursor belongs to a search with another _sort");
            }
            int at = firstNotBefore(hits, cursor.boundary(), order, cursor.forward());
            if (cursor.forward()) {
                start = at;
                end = Math.min(hits.size(), start + params.count());
            } else {
                end = at;
                start = Math.max(0, end - params.count());
            }
        }
        List<Hit> window = hits.subList(start, end);
        List<ResourceVersion> matches = new ArrayList<>(window.size());
        for (Hit hit : window) {
            SearchExecution.load(store, reader, hit.type(), hit.id()).ifPresent(matches::add);
        }
        List<ResourceVersion> includes = params.includes().isEmpty() && params.revIncludes().isEmpty() ? List.of()
                : SearchExecution.includes(store, reader, context).resolve(matches, params);
        Optional<String> next = end < hits.size() && !window.isEmpty()
                ? Optional.of(new PageCursor(true, window.get(window.size() - 1)).encode()) : Optional.empty();
        Optional<String> previous = start > 0 && !window.isEmpty()
                ? Optional.of(new PageCursor(false, window.get(0)).encode()) : Optional.empty();
        return new SearchResult(matches, includes, total, next, previous, unknown, self, params.summary(),
                params.elements(), params.count());
    }

    /** Forward: index of the first hit after the boundary; backward: index of the first hit not before it. */
    private static int firstNotBefore(List<Hit> hits, Hit boundary, Comparator<Hit> order, boolean after) {
        int lo = 0;
        int hi = hits.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int c = order.compare(hits.get(mid), boundary);
            if (c < 0 || after && c == 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
