package dev.fhirbolt.search.query;

import dev.fhirbolt.search.index.SortKeys;
import java.util.List;

/**
 * The hits of one page in result order. {@code more}: hits follow the page; {@code before}: hits precede it;
 * {@code total}: the size of the whole result when finding the page showed it, else -1.
 */
public record PageHits(List<Hit> hits, boolean more, boolean before, long total) {

    /** The same page with each hit's _id sort key, for a page sorted by _id that was read in id order. */
    public PageHits withIdSortKeys() {
        return new PageHits(hits.stream().map(h -> new Hit(h.type(), h.id(), new byte[][] {SortKeys.ofId(h.id())}))
                .toList(), more, before, total);
    }
}
