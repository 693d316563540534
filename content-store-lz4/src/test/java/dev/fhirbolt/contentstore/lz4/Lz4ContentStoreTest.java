package dev.fhirbolt.contentstore.lz4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.contentstore.ContentStoreUnavailableException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** What the decorator stores, and that values stored before it (uncompressed) read as they were. */
class Lz4ContentStoreTest {

    private final MemoryContentStore under = new MemoryContentStore();
    private final Lz4ContentStore store = new Lz4ContentStore(under);

    private static byte[] key(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] stored(String name) {
        return under.values.get(ByteBuffer.wrap(key(name)));
    }

    private static byte[] json(int resources) {
        StringBuilder s = new StringBuilder("{\"resourceType\":\"Bundle\",\"entry\":[");
        for (int i = 0; i < resources; i++) {
            s.append(i == 0 ? "" : ",").append("{\"resource\":{\"resourceType\":\"Observation\",\"id\":\"o").append(i)
                    .append("\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",")
                    .append("\"code\":\"8302-2\",\"display\":\"Body Height\"}]},\"valueQuantity\":{\"value\":")
                    .append(150 + i % 40).append(",\"unit\":\"cm\"}}}");
        }
        return s.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void jsonIsStoredCompressedUnderTheSameKeyAndReadBackWhole() throws Exception {
        byte[] value = json(2000);
        store.put(key("bundle"), value).get();
        byte[] stored = stored("bundle");
        assertEquals(StoredValue.MARKER, stored[0]);
        assertEquals(StoredValue.LZ4, stored[1]);
        assertTrue(stored.length * 5 < value.length, "FHIR JSON shrinks several times: " + value.length + " -> "
                + stored.length);
        assertArrayEquals(value, store.get(key("bundle")).get().orElseThrow());
    }

    @Test
    void smallAndIncompressibleValuesAreStoredAsTheyAreBehindTheMarker() throws Exception {
        byte[] small = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] random = new byte[10_000];
        new Random(3).nextBytes(random);
        store.put(key("small"), small).get();
        store.put(key("random"), random).get();
        assertEquals(StoredValue.STORED, stored("small")[1]);
        assertEquals(StoredValue.STORED, stored("random")[1]);
        assertEquals(random.length + 2, stored("random").length);
        assertArrayEquals(small, store.get(key("small")).get().orElseThrow());
        assertArrayEquals(random, store.get(key("random")).get().orElseThrow());
    }

    /** What nodes before this change stored: log commands (format byte 1), export headers and NDJSON parts. */
    @Test
    void valuesStoredBeforeCompressionReadAsTheyAre() throws Exception {
        byte[][] legacy = {
            {1, 4, 0, 0, 7, 42},
            ByteBuffer.allocate(12).putInt(3).putLong(9_000_000L).array(),
            "{\"resourceType\":\"Patient\"}\n".getBytes(StandardCharsets.UTF_8),
            "é\n{\"resourceType\":\"Patient\"}".substring(0, 1).getBytes(StandardCharsets.UTF_8),
            {(byte) 0xA9, 'x'}, // a part that starts inside a UTF-8 character
            new byte[0],
        };
        for (int i = 0; i < legacy.length; i++) {
            under.put(key("old-" + i), legacy[i]).get();
            assertArrayEquals(legacy[i], store.get(key("old-" + i)).get().orElseThrow(), "legacy value " + i);
        }
    }

    @Test
    void aDamagedValueFailsTheReadClearlyInsteadOfReturningWrongBytes() throws Exception {
        store.put(key("v"), json(100)).get();
        byte[] damaged = stored("v").clone();
        damaged[10] ^= 0x5A;
        damaged[20] ^= 0x33;
        under.put(key("v"), damaged).get();
        under.put(key("codec"), new byte[] {StoredValue.MARKER, 9, 1, 2}).get();
        under.put(key("length"), new byte[] {StoredValue.MARKER, StoredValue.LZ4, 0x7F, 0, 0, 0, 1}).get();
        for (String name : new String[] {"codec", "length"}) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> store.get(key(name)).get(), name);
            assertInstanceOf(ContentStoreUnavailableException.class, e.getCause(), name);
        }
        try {
            byte[] read = store.get(key("v")).get().orElseThrow();
            // LZ4 has no checksum: a flipped literal may decode to other bytes of the declared length
            assertEquals(json(100).length, read.length);
        } catch (ExecutionException e) {
            assertInstanceOf(ContentStoreUnavailableException.class, e.getCause());
        }
    }
}
