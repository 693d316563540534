package dev.fhirbolt.search;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.search.query.Clause;
import dev.fhirbolt.search.query.Hit;
import dev.fhirbolt.search.query.IdOrderPage;
import dev.fhirbolt.search.query.IndexReader;
import dev.fhirbolt.search.query.MatchCounter;
import dev.fhirbolt.search.query.MatchScan;
import dev.fhirbolt.search.query.PageCursor;
import dev.fhirbolt.search.query.PageHits;
import dev.fhirbolt.search.query.PageSelection;
import dev.fhirbolt.search.query.Planner;
import dev.fhirbolt.search.query.QueryContext;
import dev.fhirbolt.search.query.ResultParams;
import dev.fhirbolt.search.query.SortOrder;
import dev.fhirbolt.search.query.SortedScanPage;
import dev.fhirbolt.search.query.Sorter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Finds the page the cursor asks for, loads it and its includes, makes the links and the total. The page is read
 * lazily where it can be (no _sort or _sort=_id: in id order; one _sort key on one type other than a reference: in
 * the order of {@link SortOrder}), so its cost grows with the page; other sorts (references, several keys or types),
 * previous-page links and very selective sorted searches read every match and keep the page in memory.
 */
final class Pager {

    private final ResourceStore store;
    private final IndexReader reader;
    private final QueryContext context;
    private final long inMemorySortLimit;

    Pager(ResourceStore store, IndexReader reader, QueryContext context, long inMemorySortLimit) {
        this.store = store;
        this.reader = reader;
        this.context = context;
        this.inMemorySortLimit = inMemorySortLimit;
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
                ResultParams.SortKey key = params.sort().get(0);
                if (key.code().equals("_id") && !key.descending()) {
                    page = IdOrderPage.read(context, plans, params.count(), after, countBudget(params.total()))
                            .withIdSortKeys();
                    countedWithPage = after == null;
                } else if (SortOrder.exists(context, type, key)) {
                    page = SortedScanPage.read(context, type, plans.get(type), clauses.get(type), key,
                            params.count(), after);
                }
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

    /**
     * Reads every match with its sort keys and keeps the page the cursor asks for (the general case: sorts that
     * search-sort does not answer, several sort keys or types, previous-page links, very selective sorted searches).
     * Only the page is held in memory; the matches read are bounded ({@link SearchEngine#IN_MEMORY_SORT_LIMIT}), as
     * each costs a read of its values.
     */
    private PageHits collected(Map<String, Planner.Plan> plans, ResultParams params, Optional<PageCursor> cursor) {
        PageSelection selection = new PageSelection(Sorter.comparator(params.sort()), params.count(),
                cursor.map(PageCursor::boundary).orElse(null), cursor.map(PageCursor::forward).orElse(true));
        long read = 0;
        for (Map.Entry<String, Planner.Plan> e : plans.entrySet()) {
            MatchScan scan = new MatchScan(context, e.getKey(), e.getValue());
            for (String id = scan.next(); id != null; id = scan.next()) {
                if (++read > inMemorySortLimit) {
                    throw tooManyToSort(params, cursor.filter(c -> !c.forward()).isPresent());
                }
                selection.offer(Sorter.withKeys(reader, e.getKey(), id, params.sort()));
            }
        }
        return selection.page();
    }

    private FhirException tooManyToSort(ResultParams params, boolean backward) {
        String what = backward ? "a previous-page link" : "_sort=" + params.sort().stream()
                .map(k -> (k.descending() ? "-" : "") + k.code()).collect(Collectors.joining(","));
        return new FhirException(400, IssueType.TOO_COSTLY, "this search matches more than " + inMemorySortLimit
                + " resources, the most this server reads to sort in memory (for " + what + "); narrow it with more "
                + "search parameters, or sort by _id, _lastUpdated or one date, number, quantity, string, token or uri "
                + "parameter and follow next links, which read only their page");
    }
}
