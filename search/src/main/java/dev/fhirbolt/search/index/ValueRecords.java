package dev.fhirbolt.search.index;

import dev.fhirbolt.search.SearchKeyspaces;
import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads a resource's {@link ValueRecord} from search-resource: one point lookup of {@code type 0 id 0}.
 *
 * <p>Data written in index format 5 or earlier has one entry per value instead, {@code type 0 id 0 code 0 V},
 * until the format upgrade (a background reindex) reaches the resource and replaces them with its record. So a
 * resource without a record is read from those entries: searches and updates during the upgrade see every value,
 * and the update or reindex that writes the record removes them. Once the data is upgraded, only a resource that
 * is not there (or has no values at all) costs that extra seek. No flag says whether an upgrade runs: a record's
 * absence decides per resource, which is exact even for a snapshot taken while the upgrade went on.
 */
public final class ValueRecords {

    private static final byte[] NONE = new byte[0];

    private ValueRecords() {
    }

    /**
     * The record of a resource (empty when it has none); {@code keys} receives the search-resource keys it was read
     * from, for an update that removes them.
     */
    public static byte[] read(KvSnapshot snapshot, String type, String id, Consumer<byte[]> keys) {
        byte[] key = IndexKeys.resourceKey(type, id);
        Optional<byte[]> record = snapshot.get(SearchKeyspaces.RESOURCE, key);
        if (record.isPresent()) {
            keys.accept(key);
            return record.get();
        }
        return fromValueEntries(snapshot, key, keys);
    }

    /** Packs the per-value entries {@code prefix code 0 V} of format 5 (in key order: by code, then value). */
    private static byte[] fromValueEntries(KvSnapshot snapshot, byte[] prefix, Consumer<byte[]> keys) {
        ValueRecord.Writer writer = new ValueRecord.Writer();
        byte[] code = null;
        List<byte[]> values = new ArrayList<>();
        try (KvCursor c = snapshot.cursor(SearchKeyspaces.RESOURCE)) {
            for (c.seek(prefix); c.isValid() && Bytes.startsWith(c.key(), prefix); c.next()) {
                byte[] entry = c.key();
                keys.accept(entry);
                int codeEnd = prefix.length;
                while (entry[codeEnd] != 0) {
                    codeEnd++;
                }
                if (code == null || !Arrays.equals(entry, prefix.length, codeEnd, code, 0, code.length)) {
                    if (code != null) {
                        writer.add(code, values);
                        values = new ArrayList<>();
                    }
                    code = Arrays.copyOfRange(entry, prefix.length, codeEnd);
                }
                values.add(Arrays.copyOfRange(entry, codeEnd + 1, entry.length));
            }
        }
        return code == null ? NONE : writer.add(code, values).toByteArray();
    }
}
