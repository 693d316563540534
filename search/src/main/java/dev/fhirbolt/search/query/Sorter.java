package dev.fhirbolt.search.query;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Orders hits by the _sort keys (read per hit from the resource index; a missing value sorts last in both directions),
 * then by type and id, which makes the order total and so the paging cursor stable.
 */
public final class Sorter {

    private Sorter() {
    }

    public static Hit withKeys(IndexReader reader, String type, String id, List<ResultParams.SortKey> sort) {
        byte[][] keys = new byte[sort.size()][];
        for (int i = 0; i < keys.length; i++) {
            ResultParams.SortKey key = sort.get(i);
            keys[i] = reader.sortKey(type, id, key.code(), key.descending());
        }
        return new Hit(type, id, keys);
    }

    public static Comparator<Hit> comparator(List<ResultParams.SortKey> sort) {
        return (a, b) -> {
            for (int i = 0; i < sort.size(); i++) {
                byte[] x = a.keys()[i];
                byte[] y = b.keys()[i];
                if (x == null || y == null) {
                    if (x != y) {
                        return x == null ? 1 : -1;
                    }
                    continue;
                }
                int c = Arrays.compareUnsigned(x, y);
                if (c != 0) {
                    return sort.get(i).descending() ? -c : c;
                }
            }
            int c = a.type().compareTo(b.type());
            return c != 0 ? c : a.id().compareTo(b.id());
        };
    }
}
