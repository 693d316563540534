package dev.fhirbolt.search.index;

import dev.fhirbolt.database.DerivedKeyFinder;
import dev.fhirbolt.database.KvEntry;
import dev.fhirbolt.search.SearchKeyspaces;
import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.Keyspace;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Finds every index entry of a resource from its search-resource record alone ({@link ValueRecord}): the values of
 * a code give its search-value and search-sort entries as the indexer wrote them ({@link ResourceIndexer#addValues}),
 * the compartment group ({@link IndexKeys#COMPARTMENTS}) names the search-compartment entries, the patient
 * references with the scoped token values give the search-patient entries ({@link PatientScope}), and the codes with
 * the dates the search-code-date entries ({@link CodeDates}).
 * So an update or a deletion removes exactly what the previous version wrote, whatever search parameters were
 * defined then, without the index keeping a list of a resource's entries.
 */
public final class IndexEntryFinder implements DerivedKeyFinder {

    @Override
    public void find(KvSnapshot snapshot, String type, String id, BiConsumer<Keyspace, byte[]> found) {
        byte[] record = ValueRecords.read(snapshot, type, id, key -> found.accept(SearchKeyspaces.RESOURCE, key));
        byte[] typeBytes = Bytes.utf8(type);
        byte[] idBytes = Bytes.utf8(id);
        PatientScope scope = new PatientScope();
        CodeDates codeDates = new CodeDates();
        ValueRecord.forEach(record, (code, values) -> {
            if (code.equals(IndexKeys.COMPARTMENTS)) {
                for (byte[] v : values) {
                    String ref = Encoded.parts(v)[0];
                    int slash = ref.indexOf('/');
                    found.accept(SearchKeyspaces.COMPARTMENT,
                            IndexKeys.compartmentKey(ref.substring(0, slash), ref.substring(slash + 1), type, id));
                }
                return;
            }
            List<KvEntry> entries = new ArrayList<>(values.size() + 2);
            ResourceIndexer.addValues(entries, typeBytes, idBytes, Bytes.utf8(code), values);
            for (KvEntry entry : entries) {
                found.accept(entry.keyspace(), entry.key());
            }
            scope.offer(code, values);
            codeDates.offer(code, values);
        });
        scope.keys(typeBytes, idBytes, key -> found.accept(SearchKeyspaces.PATIENT, key));
        codeDates.keys(typeBytes, idBytes, key -> found.accept(SearchKeyspaces.CODE_DATE, key));
    }
}
