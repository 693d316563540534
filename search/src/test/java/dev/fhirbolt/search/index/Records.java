package dev.fhirbolt.search.index;

import dev.fhirbolt.storage.Bytes;
import java.util.List;

/** Rewrites search-resource records, for tests that recreate what an older format wrote. */
public final class Records {

    private Records() {
    }

    /** The record with the values of one code replaced (the group added when the record had none). */
    public static byte[] withGroup(byte[] record, String code, List<byte[]> values) {
        ValueRecord.Writer out = new ValueRecord.Writer();
        boolean[] replaced = {false};
        ValueRecord.forEach(record, (c, v) -> {
            if (c.equals(code)) {
                out.add(Bytes.utf8(c), values);
                replaced[0] = true;
            } else {
                out.add(Bytes.utf8(c), v);
            }
        });
        if (!replaced[0]) {
            out.add(Bytes.utf8(code), values);
        }
        return out.toByteArray();
    }
}
