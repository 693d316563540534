package dev.fhirbolt.search.query;

import dev.fhirbolt.search.SearchKeyspaces;
import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.search.index.IndexKeys;
import dev.fhirbolt.search.index.SortKeys;
import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.KvCursor;
import java.util.Arrays;

/**
 * The resources of one type in the order of one _sort key, each with its key, from just after the cursor's hit: the
 * search-sort entries of a parameter, or for -_id the _id entries of search-value read backwards (every resource has
 * one, in id order, so no sort entries are needed for _id).
 */
abstract class SortOrder {

    private final KvCursor cursor;
    private final byte[] prefix;
    private boolean started;

    private SortOrder(KvCursor cursor, byte[] prefix) {
        this.cursor = cursor;
        this.prefix = prefix;
    }

    /** The search-sort entries of the key's parameter and direction. */
    static SortOrder sortIndex(QueryContext q, String type, ResultParams.SortKey key, Hit after) {
        byte dir = key.descending() ? SortKeys.DESCENDING : SortKeys.ASCENDING;
        byte[] prefix = IndexKeys.sortPrefix(type, key.code(), dir);
        KvCursor c = q.reader().openCursor(SearchKeyspaces.SORT);
        if (after == null) {
            c.seek(prefix);
        } else {
            byte[] boundary = IndexKeys.sortKey(type, key.code(), dir, after.keys()[0], after.id());
            c.seek(boundary);
            if (c.isValid() && Arrays.equals(c.key(), boundary)) {
                c.next();
            }
        }
        return new SortOrder(c, prefix) {
            @Override
            void step(KvCursor cursor) {
                cursor.next();
            }

            @Override
            Hit hit(byte[] key) {
                return new Hit(type, IndexKeys.idOfValueKey(key),
                        new byte[][] {IndexKeys.sortValueOfSortKey(key, prefix.length, dir)});
            }

            @Override
            boolean missingPossible() {
                return true;
            }
        };
    }

    /** Every resource of the type from the highest id down, from the _id entries ({@code _id type C id 0 id 0 len}). */
    static SortOrder idsDescending(QueryContext q, String type, Hit after) {
        byte[] prefix = IndexReader.concat(IndexKeys.valuePrefix("_id", type), new byte[] {Encoded.CODE});
        KvCursor c = q.reader().openCursor(SearchKeyspaces.VALUE);
        if (after == null) {
            c.seekForPrev(Bytes.prefixEnd(prefix));
        } else {
            byte[] boundary = IndexKeys.valueKey("_id", type, Encoded.strings(Encoded.CODE, after.id()), after.id());
            c.seekForPrev(boundary);
            if (c.isValid() && Arrays.equals(c.key(), boundary)) {
                c.prev();
            }
        }
        return new SortOrder(c, prefix) {
            @Override
            void step(KvCursor cursor) {
                cursor.prev();
            }

            @Override
            Hit hit(byte[] key) {
                String id = IndexKeys.idOfValueKey(key);
                return new Hit(type, id, new byte[][] {SortKeys.ofId(id)});
            }

            @Override
            boolean missingPossible() {
                return false;
            }
        };
    }

    /** The next resource with its key, or null at the end. */
    final Hit next() {
        if (started) {
            step(cursor);
        }
        started = true;
        return cursor.isValid() && Bytes.startsWith(cursor.key(), prefix) ? hit(cursor.key()) : null;
    }

    /** Moves to the next entry in this order. */
    abstract void step(KvCursor cursor);

    abstract Hit hit(byte[] key);

    /** Whether resources without a value for the key can exist (they follow this order, in id order). */
    abstract boolean missingPossible();
}
