package dev.fhirbolt.search.reindex;

import dev.fhirbolt.search.SearchKeyspaces;
import dev.fhirbolt.search.SearchParameterRegistry;
import dev.fhirbolt.search.index.SortKeys;
import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.KvStore;
import java.util.Arrays;

/**
 * Removes the search-sort entries that index format 6 no longer writes: those of tokens, references and URIs (and so
 * of _id; {@link SortKeys#notIndexed}). Reindexing cannot find them, because an update or a reindex only removes the
 * sort entries the current format derives from a resource's values; and nothing writes or reads them any more, so
 * removing them races with no write and no search. The entries of a parameter share the prefix
 * {@code type 0 code 0}: one seek skips the entries of each parameter that keeps them. Parameters the registry does
 * not know are left as they are.
 */
final class StaleSortKeys {

    private static final int BATCH = 4_096;

    private StaleSortKeys() {
    }

    /** Removes the stale entries and answers how many there were. */
    static long remove(KvStore kv, SearchParameterRegistry registry) {
        long removed = 0;
        KvBatch batch = new KvBatch();
        try (KvSnapshot snapshot = kv.snapshot(); KvCursor c = snapshot.cursor(SearchKeyspaces.SORT)) {
            c.seekToFirst();
            while (c.isValid()) {
                byte[] key = c.key();
                int typeEnd = indexOfZero(key, 0);
                int codeEnd = typeEnd < 0 ? -1 : indexOfZero(key, typeEnd + 1);
                if (codeEnd < 0) {
                    c.next();
                    continue;
                }
                String type = Bytes.utf8(key, 0, typeEnd);
                String code = Bytes.utf8(key, typeEnd + 1, codeEnd);
                byte[] group = Arrays.copyOf(key, codeEnd + 1);
                boolean stale = registry.find(type, code).map(p -> SortKeys.notIndexed(p.type())).orElse(false);
                if (!stale) {
                    c.seek(Bytes.prefixEnd(group));
                    continue;
                }
                for (; c.isValid() && Bytes.startsWith(c.key(), group); c.next()) {
                    batch.delete(SearchKeyspaces.SORT, c.key());
                    removed++;
                    if (batch.changes().size() == BATCH) {
                        kv.write(batch, false);
                        batch = new KvBatch();
                    }
                }
            }
        }
        if (!batch.isEmpty()) {
            kv.write(batch, false);
        }
        return removed;
    }

    private static int indexOfZero(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
