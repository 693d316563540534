package dev.fhirbolt.search.index;

import dev.fhirbolt.database.DerivedKeyFinder;
import dev.fhirbolt.search.SearchKeyspaces;
import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.Keyspace;
import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * Finds every index entry of a resource from its search-resource entries alone: each {@code type id code V} names
 * its search-value entry {@code code type V id}, a sort entry {@code type id code <key} (or {@code >key}) its
 * search-sort entry, and a compartment marker {@code type id "" R compartmentType/compartmentId} its
 * search-compartment entry. So an update or a deletion removes exactly what the previous version wrote, whatever
 * search parameters were defined then, without the index keeping a list of them.
 */
public final class IndexEntryFinder implements DerivedKeyFinder {

    @Override
    public void find(KvSnapshot snapshot, String type, String id, BiConsumer<Keyspace, byte[]> found) {
        byte[] prefix = Bytes.key(type, id);
        try (KvCursor c = snapshot.cursor(SearchKeyspaces.RESOURCE)) {
            for (c.seek(prefix); c.isValid() && Bytes.startsWith(c.key(), prefix); c.next()) {
                byte[] key = c.key();
                found.accept(SearchKeyspaces.RESOURCE, key);
                int codeEnd = indexOfZero(key, prefix.length);
                String code = Bytes.utf8(key, prefix.length, codeEnd);
                byte[] v = Arrays.copyOfRange(key, codeEnd + 1, key.length);
                if (code.isEmpty()) {
                    String ref = Encoded.parts(v)[0];
                    int slash = ref.indexOf('/');
                    found.accept(SearchKeyspaces.COMPARTMENT,
                            IndexKeys.compartmentKey(ref.substring(0, slash), ref.substring(slash + 1), type, id));
                } else if (v[0] == SortKeys.ASCENDING || v[0] == SortKeys.DESCENDING) {
                    found.accept(SearchKeyspaces.SORT,
                            IndexKeys.sortKey(type, code, v[0], Arrays.copyOfRange(v, 1, v.length), id));
                } else {
                    found.accept(SearchKeyspaces.VALUE, IndexKeys.valueKey(code, type, v, id));
                }
            }
        }
    }

    private static int indexOfZero(byte[] b, int from) {
        int i = from;
        while (b[i] != 0) {
            i++;
        }
        return i;
    }
}
