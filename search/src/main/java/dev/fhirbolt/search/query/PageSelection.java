package dev.fhirbolt.search.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Cuts one page out of hits offered in any order, holding only the page's hits (a heap of at most {@code count}), so
 * sorting every match in memory needs memory for one page, not for every match. Without a cursor or forward from it,
 * the page is the first {@code count} hits after the boundary; backward, the last {@code count} hits before it.
 */
public final class PageSelection {

    private final Comparator<Hit> order;
    private final int count;
    private final Hit boundary;
    private final boolean forward;
    /** The page so far, its worst hit at the head: the last in order forward, the first backward. */
    private final PriorityQueue<Hit> page;
    private long onPageSide;
    private long offered;

    /** {@code boundary}: the cursor's hit, or null for the first page (then {@code forward} must be true). */
    public PageSelection(Comparator<Hit> order, int count, Hit boundary, boolean forward) {
        this.order = order;
        this.count = count;
        this.boundary = boundary;
        this.forward = forward;
        this.page = new PriorityQueue<>(Math.min(count, 256) + 1, forward ? order.reversed() : order);
    }

    public void offer(Hit hit) {
        offered++;
        if (boundary != null) {
            int c = order.compare(hit, boundary);
            if (forward ? c <= 0 : c >= 0) {
                return;
            }
        }
        onPageSide++;
        page.add(hit);
        if (page.size() > count) {
            page.poll();
        }
    }

    /** The page in result order, whether hits follow or precede it, and the number of hits offered (the total). */
    public PageHits page() {
        List<Hit> hits = new ArrayList<>(page);
        hits.sort(order);
        long otherSide = offered - onPageSide;
        boolean beyond = onPageSide > count;
        return forward
                ? new PageHits(List.copyOf(hits), beyond, otherSide > 0, offered)
                : new PageHits(List.copyOf(hits), otherSide > 0, beyond, offered);
    }
}
