package dev.fhirbolt.search.index;

import dev.fhirbolt.database.DerivedKeyFinder;
import dev.fhirbolt.search.SearchKeyspaces;
import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.Keyspace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Finds every index entry of a resource from its search-resource entries alone: each {@code type id code V} names
 * its search-value entry {@code code type V id}, the values of a code give its search-sort keys ({@link SortKeys#indexed}),
 * a compartment marker {@code type id "" R compartmentType/compartmentId} names its search-compartment entry, the
 * patient references with the scoped token values give the search-patient entries ({@link PatientScope}), and the
 * codes with the dates the search-code-date entries ({@link CodeDates}).
 * So an update or a deletion removes exactly what the previous version wrote, whatever search parameters were
 * defined then, without the index keeping a list of a resource's entries.
 */
public final class IndexEntryFinder implements DerivedKeyFinder {

    @Override
    public void find(KvSnapshot snapshot, String type, String id, BiConsumer<Keyspace, byte[]> found) {
        byte[] prefix = Bytes.key(type, id);
        String code = null;
        List<byte[]> values = new ArrayList<>();
        PatientScope scope = new PatientScope();
        CodeDates codeDates = new CodeDates();
        try (KvCursor c = snapshot.cursor(SearchKeyspaces.RESOURCE)) {
            for (c.seek(prefix); c.isValid() && Bytes.startsWith(c.key(), prefix); c.next()) {
                byte[] key = c.key();
                found.accept(SearchKeyspaces.RESOURCE, key);
                int codeEnd = indexOfZero(key, prefix.length);
                String next = Bytes.utf8(key, prefix.length, codeEnd);
                if (!next.equals(code)) {
                    sortEntries(type, id, code, values, found);
                    code = next;
                    values.clear();
                }
                byte[] v = Arrays.copyOfRange(key, codeEnd + 1, key.length);
                if (code.equals(IndexKeys.COMPARTMENTS)) {
                    String ref = Encoded.parts(v)[0];
                    int slash = ref.indexOf('/');
                    found.accept(SearchKeyspaces.COMPARTMENT,
                            IndexKeys.compartmentKey(ref.substring(0, slash), ref.substring(slash + 1), type, id));
                } else {
                    found.accept(SearchKeyspaces.VALUE, IndexKeys.valueKey(code, type, v, id));
                    values.add(v);
                    scope.offer(code, v);
                    codeDates.offer(code, v);
                }
            }
        }
        sortEntries(type, id, code, values, found);
        byte[] typeBytes = Bytes.utf8(type);
        byte[] idBytes = Bytes.utf8(id);
        scope.keys(typeBytes, idBytes, key -> found.accept(SearchKeyspaces.PATIENT, key));
        codeDates.keys(typeBytes, idBytes, key -> found.accept(SearchKeyspaces.CODE_DATE, key));
    }

    private static void sortEntries(String type, String id, String code, List<byte[]> values,
            BiConsumer<Keyspace, byte[]> found) {
        byte[][] sort = SortKeys.indexed(values);
        if (sort != null) {
            found.accept(SearchKeyspaces.SORT, IndexKeys.sortKey(type, code, SortKeys.ASCENDING, sort[0], id));
            found.accept(SearchKeyspaces.SORT, IndexKeys.sortKey(type, code, SortKeys.DESCENDING, sort[1], id));
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
