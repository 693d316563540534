package dev.fhirbolt.search.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fhirbolt.storage.Bytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ValueRecord} gives back exactly the groups written, each code's values in unsigned byte order. */
class ValueRecordTest {

    static final byte[] LONG = filled(200, 'a');
    static final byte[] VERY_LONG = filled(20_000, 'b');

    static byte[] filled(int n, char c) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }

    static byte[] v(String s) {
        return Bytes.utf8(s);
    }

    @Test
    void valuesComeBackPerCodeInKeyOrder() {
        byte[] record = new ValueRecord.Writer()
                .add(v("code"), List.of(v("Cb"), v("Ca\u00e9"), v("Ca"), v("CZ")))
                .add(v("code-value"), List.of(LONG, VERY_LONG))
                .add(v(""), List.of(v("RPatient/p")))
                .add(v("n\u00e4me"), List.of(v("s")))
                .toByteArray();
        // unsigned order: a value before those it is a prefix of, bytes above 0x7F after ASCII
        assertEquals(List.of("CZ", "Ca", "Ca\u00e9", "Cb"), strings(ValueRecord.values(record, v("code"))));
        List<byte[]> longOnes = ValueRecord.values(record, v("code-value"));
        assertArrayEquals(LONG, longOnes.get(0));
        assertArrayEquals(VERY_LONG, longOnes.get(1));
        assertEquals(List.of("RPatient/p"), strings(ValueRecord.values(record, v(""))));
        assertEquals(List.of("s"), strings(ValueRecord.values(record, v("n\u00e4me"))));
        assertEquals(List.of(), ValueRecord.values(record, v("cod")));
        assertEquals(List.of(), ValueRecord.values(record, v("status")));
        assertEquals(List.of(), ValueRecord.values(new byte[0], v("code")));
    }

    @Test
    void groupsComeBackInTheOrderWrittenAndAnAppendedGroupFollows() {
        byte[] start = new ValueRecord.Writer()
                .add(v("name"), List.of(v("sb"), v("sa")))
                .add(v("gender"), List.of())
                .add(v(""), List.of(v("RPatient/p")))
                .toByteArray();
        byte[] record = new ValueRecord.Writer(start,
                ValueRecord.Writer.groupSize(v("_lastUpdated"), List.of(LONG))).add(v("_lastUpdated"), List.of(LONG))
                .toByteArray();
        List<String> seen = new ArrayList<>();
        ValueRecord.forEach(record, (code, values) -> seen.add(code + "=" + strings(values)));
        assertEquals(List.of("name=[sa, sb]", "=[RPatient/p]", "_lastUpdated=[" + new String(LONG) + "]"), seen);
        ValueRecord.forEach(new byte[0], (code, values) -> seen.add("none"));
        assertEquals(3, seen.size());
    }

    private static List<String> strings(List<byte[]> values) {
        return values.stream().map(String::new).toList();
    }
}
