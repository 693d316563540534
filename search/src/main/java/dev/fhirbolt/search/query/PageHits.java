package dev.fhirbolt.search.query;

import java.util.List;

/**
 * The hits of one page in result order. {@code more}: hits follow the page; {@code before}: hits precede it;
 * {@code total}: the size of the whole result when finding the page showed it, else -1.
 */
public record PageHits(List<Hit> hits, boolean more, boolean before, long total) {
}
