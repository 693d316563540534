package dev.fhirbolt.search.query;

import java.util.Iterator;
import java.util.NavigableSet;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The matching ids of one type in ascending id order (byte order of the UTF-8 id, which for FHIR's ASCII ids is
 * {@link String#compareTo} order), read lazily so that a search stops reading once its page is full.
 */
public interface IdStream {

    IdStream EMPTY = new IdStream() {
        @Override
        public String next() {
            return null;
        }

        @Override
        public void seek(String id) {
        }
    };

    /** The next id, or null when there are no more. */
    String next();

    /** Skips ahead: the next id returned is the first one not below {@code id}. Only ever seeks forward. */
    void seek(String id);

    /** A stream over ids already in memory. */
    static IdStream of(SortedSet<String> ids) {
        NavigableSet<String> set = ids instanceof NavigableSet<String> n && ids.comparator() == null ? n
                : new TreeSet<>(ids);
        return new IdStream() {
            private Iterator<String> it = set.iterator();

            @Override
            public String next() {
                return it.hasNext() ? it.next() : null;
            }

            @Override
            public void seek(String id) {
                it = set.tailSet(id, true).iterator();
            }
        };
    }
}
