package dev.fhirbolt.search.query;

import dev.fhirbolt.search.SearchKeyspaces;
import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.search.index.IndexKeys;
import dev.fhirbolt.search.index.SortKeys;
import dev.fhirbolt.search.param.CompiledParam;
import dev.fhirbolt.search.param.ParamType;
import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.KvCursor;
import java.util.Arrays;

/**
 * The resources of one type in the order of one _sort key, each with its key, from just after the cursor's hit: the
 * search-sort entries of a string, date, number or quantity parameter or _lastUpdated; the search-value entries of a
 * token's codes or a URI (no search-sort entries, see {@link SortKeys#indexed}); for -_id the _id entries read
 * backwards. References have no such order: their values are of two kinds, local references and URLs, that sort
 * together. Nor have the unions of other parameters ({@link dev.fhirbolt.search.index.UnionParams}), which have no
 * entries of their own: their matches are sorted in memory.
 */
public abstract class SortOrder {

    /** Whether one _sort key on the type is read in order; otherwise every match is read and sorted in memory. */
    public static boolean exists(QueryContext q, String type, ResultParams.SortKey key) {
        if (key.code().equals("_id")) {
            return true;
        }
        return !q.registry().isUnion(type, key.code()) && q.registry().find(type, key.code())
                .map(p -> p.type() != ParamType.REFERENCE).orElse(true);
    }

    /** The order of the key ({@link #exists}); _sort=_id ascending is read as a search without _sort. */
    static SortOrder of(QueryContext q, String type, ResultParams.SortKey key, Hit after) {
        if (key.code().equals("_id")) {
            return new ReverseIdOrder(q, type, after);
        }
        ParamType paramType = q.registry().find(type, key.code()).map(CompiledParam::type).orElse(null);
        if (paramType == ParamType.TOKEN) {
            return new ValueOrder(q, type, key, after, Encoded.CODE);
        }
        if (paramType == ParamType.URI) {
            return new ValueOrder(q, type, key, after, Encoded.URL);
        }
        return new IndexOrder(q, type, key, after);
    }

    /** The next resource with its key, or null at the end. */
    abstract Hit next();

    /** Whether resources without a value for the key can exist (they follow this order, in id order). */
    abstract boolean missingPossible();

    /** search-sort: {@code type code dir sortKey' id 0 idLength}, read forward. */
    private static final class IndexOrder extends SortOrder {

        private final String type;
        private final byte dir;
        private final byte[] prefix;
        private final KvCursor c;

        IndexOrder(QueryContext q, String type, ResultParams.SortKey key, Hit after) {
            this.type = type;
            this.dir = key.descending() ? SortKeys.DESCENDING : SortKeys.ASCENDING;
            this.prefix = IndexKeys.sortPrefix(type, key.code(), dir);
            this.c = q.reader().openCursor(SearchKeyspaces.SORT);
            if (after == null) {
                c.seek(prefix);
            } else {
                byte[] boundary = IndexKeys.sortKey(type, key.code(), dir, after.keys()[0], after.id());
                c.seek(boundary);
                if (c.isValid() && Arrays.equals(c.key(), boundary)) {
                    c.next();
                }
            }
        }

        @Override
        Hit next() {
            if (!c.isValid() || !Bytes.startsWith(c.key(), prefix)) {
                return null;
            }
            byte[] key = c.key();
            c.next();
            return new Hit(type, IndexKeys.idOfValueKey(key),
                    new byte[][] {IndexKeys.sortValueOfSortKey(key, prefix.length, dir)});
        }

        @Override
        boolean missingPossible() {
            return true;
        }
    }

    /** Every resource of the type from the highest id down, from the _id entries ({@code _id type C id 0 id 0 len}). */
    private static final class ReverseIdOrder extends SortOrder {

        private final String type;
        private final byte[] prefix;
        private final KvCursor c;

        ReverseIdOrder(QueryContext q, String type, Hit after) {
            this.type = type;
            this.prefix = IndexReader.concat(IndexKeys.valuePrefix("_id", type), new byte[] {Encoded.CODE});
            this.c = q.reader().openCursor(SearchKeyspaces.VALUE);
            if (after == null) {
                c.seekForPrev(Bytes.prefixEnd(prefix));
            } else {
                byte[] boundary = IndexKeys.valueKey("_id", type, Encoded.strings(Encoded.CODE, after.id()),
                        after.id());
                c.seekForPrev(boundary);
                if (c.isValid() && Arrays.equals(c.key(), boundary)) {
                    c.prev();
                }
            }
        }

        @Override
        Hit next() {
            if (!c.isValid() || !Bytes.startsWith(c.key(), prefix)) {
                return null;
            }
            String id = IndexKeys.idOfValueKey(c.key());
            c.prev();
            return new Hit(type, id, new byte[][] {SortKeys.ofId(id)});
        }

        @Override
        boolean missingPossible() {
            return false;
        }
    }

    /**
     * The search-value entries of one kind of value, {@code code type V id 0 idLength} with V = kind, sort key: as
     * such values end with a 0, the entries of one value are contiguous and in id order, and the values come in the
     * order of their sort keys. A resource with several values is met once for each and taken at the one it sorts
     * by (its lowest ascending, its highest descending; one read of its values). Descending, the values are visited
     * from the highest down and the ids of each still read forward, so that ties stay in id order.
     */
    private static final class ValueOrder extends SortOrder {

        private final QueryContext q;
        private final String type;
        private final String code;
        private final boolean descending;
        private final byte[] head;
        private final byte[] kindPrefix;
        private final KvCursor c;
        /** Descending: {@code head V} of the value being read, null when there is none left. */
        private byte[] value;

        ValueOrder(QueryContext q, String type, ResultParams.SortKey key, Hit after, byte kind) {
            this.q = q;
            this.type = type;
            this.code = key.code();
            this.descending = key.descending();
            this.head = IndexKeys.valuePrefix(code, type);
            this.kindPrefix = IndexReader.concat(head, new byte[] {kind});
            this.c = q.reader().openCursor(SearchKeyspaces.VALUE);
            if (after == null) {
                if (descending) {
                    enterValueBefore(Bytes.prefixEnd(kindPrefix));
                } else {
                    c.seek(kindPrefix);
                }
            } else {
                byte[] v = IndexReader.concat(new byte[] {kind}, after.keys()[0]);
                byte[] boundary = IndexKeys.valueKey(code, type, v, after.id());
                value = IndexReader.concat(head, v);
                c.seek(boundary);
                if (c.isValid() && Arrays.equals(c.key(), boundary)) {
                    c.next();
                }
            }
        }

        /** Positions at the first entry of the highest value below {@code bound}; none: {@link #value} is null. */
        private void enterValueBefore(byte[] bound) {
            c.seekForPrev(bound);
            if (!c.isValid() || !Bytes.startsWith(c.key(), kindPrefix)) {
                value = null;
                return;
            }
            value = IndexReader.concat(head, IndexKeys.valueOfValueKey(c.key(), head.length));
            c.seek(value);
        }

        @Override
        Hit next() {
            while (true) {
                if (descending) {
                    if (value == null) {
                        return null;
                    }
                    if (!c.isValid() || !Bytes.startsWith(c.key(), value)) {
                        enterValueBefore(value);
                        continue;
                    }
                } else if (!c.isValid() || !Bytes.startsWith(c.key(), kindPrefix)) {
                    return null;
                }
                byte[] key = c.key();
                c.next();
                String id = IndexKeys.idOfValueKey(key);
                byte[] v = IndexKeys.valueOfValueKey(key, head.length);
                byte[] sortKey = Arrays.copyOfRange(v, 1, v.length);
                if (Arrays.equals(sortKey, q.reader().sortKey(type, id, code, descending))) {
                    return new Hit(type, id, new byte[][] {sortKey});
                }
            }
        }

        @Override
        boolean missingPossible() {
            return true;
        }
    }
}
