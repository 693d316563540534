package dev.fhirbolt.search.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fhirbolt.database.KvEntry;
import dev.fhirbolt.search.SearchKeyspaces;
import dev.fhirbolt.storage.Bytes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ResourceIndexer#addValues} builds exactly the keys {@link IndexKeys} and {@link Bytes#key} define. */
class AddValuesLayoutTest {

    @Test
    void keysEqualTheDocumentedLayouts() {
        List<byte[]> values = new ArrayList<>();
        values.add(StringValues.value("Müller"));
        values.add(StringValues.value("Ana"));
        List<byte[]> dates = new ArrayList<>();
        DateValues.add(DateRange.parse("2020-01-02"), dates);
        check("Patient", "p-1", "name", values);
        check("Observation", "ü.x-" + "9".repeat(60), "date", dates);
        check("Observation", "o", "code", List.of(Encoded.strings(Encoded.CODE, "x")));
        check("Observation", "o", "code", List.of());
    }

    @Test
    void onlyStringsDatesNumbersAndQuantitiesGetSortEntries() {
        List<byte[]> dates = new ArrayList<>();
        DateValues.add(DateRange.parse("2020-01-02"), dates);
        assertEquals(2, sortEntries("date", dates));
        assertEquals(2, sortEntries("name", List.of(StringValues.value("Ana"))));
        assertEquals(0, sortEntries("code", List.of(Encoded.strings(Encoded.CODE, "x"))));
        assertEquals(0, sortEntries("subject", List.of(Encoded.strings(Encoded.LOCAL_REF, "Patient/1"))));
        assertEquals(0, sortEntries("_profile", List.of(Encoded.strings(Encoded.URL, "http://x"))));
    }

    private static long sortEntries(String code, List<byte[]> values) {
        List<KvEntry> out = new ArrayList<>();
        ResourceIndexer.addValues(out, Bytes.utf8("Observation"), Bytes.utf8("o"), Bytes.utf8(code), values);
        return out.stream().filter(e -> e.keyspace().equals(SearchKeyspaces.SORT)).count();
    }

    private static void check(String type, String id, String code, List<byte[]> values) {
        List<KvEntry> actual = new ArrayList<>();
        ResourceIndexer.addValues(actual, Bytes.utf8(type), Bytes.utf8(id), Bytes.utf8(code), values);
        List<KvEntry> expected = new ArrayList<>();
        for (byte[] v : values) {
            expected.add(new KvEntry(SearchKeyspaces.VALUE, IndexKeys.valueKey(code, type, v, id), new byte[0]));
        }
        byte[][] sort = SortKeys.indexed(values);
        if (sort != null) {
            expected.add(new KvEntry(SearchKeyspaces.SORT,
                    IndexKeys.sortKey(type, code, SortKeys.ASCENDING, sort[0], id), new byte[0]));
            expected.add(new KvEntry(SearchKeyspaces.SORT,
                    IndexKeys.sortKey(type, code, SortKeys.DESCENDING, sort[1], id), new byte[0]));
        }
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).keyspace(), actual.get(i).keyspace());
            assertArrayEquals(expected.get(i).key(), actual.get(i).key(), "entry " + i);
            assertArrayEquals(expected.get(i).value(), actual.get(i).value());
        }
    }
}
