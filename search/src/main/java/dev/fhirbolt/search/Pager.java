package dev.fhirbolt.search;

import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.search.query.Clause;
import dev.fhirbolt.search.query.Hit;
import dev.fhirbolt.search.query.IdOrderPage;
import dev.fhirbolt.search.query.IndexReader;
import dev.fhirbolt.search.query.MatchCounter;
import dev.fhirbolt.search.query.PageCursor;
import dev.fhirbolt.search.query.PageHits;
import dev.fhirbolt.search.query.Planner;
import dev.fhirbolt.search.query.QueryContext;
import dev.fhirbolt.search.query.ResultParams;
import dev.fhirbolt.search.query.SortedScanPage;
import dev.fhirbolt.search.query.Sorter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Finds the page the cursor asks for, loads it and its includes, makes the links and the total. The page is read
 * lazily where it can be (no _sort: in id order; one _sort key on one type: in search-sort order), so its cost
 * grows with the page; only other sorts, previous-page links and very selective sorted searches collect and sort
 * every match.
 */
final class Pager {

    private final ResourceStore store;
    private final IndexReader reader;
    private final QueryContext context;

    Pager(ResourceStore store, IndexReader reader, QueryContext context) {
        this.store = store;
        this.reader = reader;
        this.context = context;
    }

    /** {@code clauses}: the AND'ed clauses of every type that can match, in type order. */
    SearchResult page(Map<String, List<Clause>> clauses, ResultParams params, List<String> unknown,
            Map<String, List<String>> self) {
        Map<String, Planner.Plan> plans = new LinkedHashMap<>();
        clauses.forEach((type, list) -> plans.put(type, Planner.plan(context, type, list)));
        MatchCounter counter = new MatchCounter(context, plans);
        boolean countOnly = params.summary().filter("count"::equals).isPresent();
        if (countOnly || params.count() == 0) {
            OptionalLong total = switch (params.total()) {
                case "none" -> countOnly ? counter.count(Long.MAX_VALUE) : OptionalLong.empty();
                case "estimate" -> OptionalLong.of(counter.estimate());
                default -> counter.count(Long.MAX_VALUE);
            };
            return new SearchResult(List.of(), List.of(), total, Optional.empty(), Optional.empty(), unknown, self,
                    params.summary(), params.elements(), params.count());
        }
        Optional<PageCursor> cursor = params.cursor().map(PageCursor::decode);
        if (cursor.isPresent() && cursor.get().boundary().keys().length != params.sort().size()) {
            throw new IllegalArgumentException("the _cursor belongs to a search with another _sort");
        }
        PageHits page = null;
        boolean countedWithPage = false;
        Hit after = cursor.filter(PageCursor::forward).map(PageCursor::boundary).orElse(null);
        if (cursor.isEmpty() || cursor.get().forward()) {
            if (params.sort().isEmpty()) {
                page = IdOrderPage.read(context, plans, params.count(), after, countBudget(params.total()));
                countedWithPage = after == null;
            } else if (params.sort().size() == 1 && plans.size() == 1) {
                String type = plans.keySet().iterator().next();
                page = SortedScanPage.read(context, type, plans.get(type), clauses.get(type), params.sort().get(0),
                        params.count(), after);
            }
        }
        if (page == null) {
            page = collected(plans, params, cursor);
        }
        List<ResourceVersion> matches = new ArrayList<>(page.hits().size());
        for (Hit hit : page.hits()) {
            SearchExecution.load(store, reader, hit.type(), hit.id()).ifPresent(matches::add);
        }
        List<ResourceVersion> includes = params.includes().isEmpty() && params.revIncludes().isEmpty() ? List.of()
                : SearchExecution.includes(store, reader, context).resolve(matches, params);
        List<Hit> hits = page.hits();
        Optional<String> next = page.more() && !hits.isEmpty()
                ? Optional.of(new PageCursor(true, hits.get(hits.size() - 1)).encode()) : Optional.empty();
        Optional<String> previous = page.before() && !hits.isEmpty()
                ? Optional.of(new PageCursor(false, hits.get(0)).encode()) : Optional.empty();
        return new SearchResult(matches, includes, total(params.total(), page, counter, countedWithPage), next,
                previous, unknown, self, params.summary(), params.elements(), params.count());
    }

    /** How many candidates counting the total may examine; estimates count exactly as far as a default total. */
    private static long countBudget(String mode) {
        return switch (mode) {
            case "none" -> 0;
            case "accurate" -> Long.MAX_VALUE;
            default -> MatchCounter.DEFAULT_BUDGET;
        };
    }

    /** {@code countedWithPage}: reading the page already tried counting within {@link #countBudget}. */
    private static OptionalLong total(String mode, PageHits page, MatchCounter counter, boolean countedWithPage) {
        if (mode.equals("none")) {
            return OptionalLong.empty();
        }
        if (page.total() >= 0) {
            return OptionalLong.of(page.total());
        }
        if (countedWithPage && !mode.equals("estimate")) {
            return OptionalLong.empty();
        }
        return switch (mode) {
            case "accurate" -> counter.count(Long.MAX_VALUE);
            case "estimate" -> OptionalLong.of(counter.estimate());
            default -> counter.count(MatchCounter.DEFAULT_BUDGET);
        };
    }

    /** Collects every match with its sort keys, sorts them all and cuts the page out (the general case). */
    private PageHits collected(Map<String, Planner.Plan> plans, ResultParams params, Optional<PageCursor> cursor) {
        List<Hit> hits = new ArrayList<>();
        for (Map.Entry<String, Planner.Plan> e : plans.entrySet()) {
            var scan = new dev.fhirbolt.search.query.MatchScan(context, e.getKey(), e.getValue());
            for (String id = scan.next(); id != null; id = scan.next()) {
                hits.add(Sorter.withKeys(reader, e.getKey(), id, params.sort()));
            }
        }
        Comparator<Hit> order = Sorter.comparator(params.sort());
        hits.sort(order);
        int start = 0;
        int end = Math.min(hits.size(), params.count());
        if (cursor.isPresent()) {
            int at = firstNotBefore(hits, cursor.get().boundary(), order, cursor.get().forward());
            if (cursor.get().forward()) {
                start = at;
                end = Math.min(hits.size(), start + params.count());
            } else {
                end = at;
                start = Math.max(0, end - params.count());
            }
        }
        return new PageHits(List.copyOf(hits.subList(start, end)), end < hits.size(), start > 0, hits.size());
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
