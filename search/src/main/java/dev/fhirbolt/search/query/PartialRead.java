package dev.fhirbolt.search.query;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the ids matching a clause's values from search-value a part at a time, each part going on where the last
 * stopped, so the work spent on it is never lost however the reading is spread out.
 */
final class PartialRead {

    private final String code;
    private final List<Alternative> alternatives;
    private final Set<String> ids = new HashSet<>();
    /** Which of the parameter's stored codes is being read (several when it is a union of others). */
    private int stored;
    private int alternative;
    private int range;
    private byte[] resumeAt;

    PartialRead(String code, List<Alternative> alternatives) {
        this.code = code;
        this.alternatives = alternatives;
    }

    /** Reads up to {@code entries} more index entries; answers every matching id once all have been read, else null. */
    Set<String> readOn(QueryContext q, String type, long entries) {
        long left = entries;
        List<String> codes = q.reader().storedCodes(type, code);
        while (stored < codes.size()) {
            if (alternative == alternatives.size()) {
                stored++;
                alternative = 0;
                continue;
            }
            Alternative alt = alternatives.get(alternative);
            if (range == alt.ranges().size()) {
                alternative++;
                range = 0;
                continue;
            }
            if (left == 0) {
                return null;
            }
            IndexReader.Part part = q.reader().scanPart(codes.get(stored), type, alt, alt.ranges().get(range), resumeAt,
                    ids,
                    left);
            left -= part.read();
            resumeAt = part.resumeAt();
            if (resumeAt != null) {
                return null;
            }
            range++;
        }
        return ids;
    }
}
