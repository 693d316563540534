package dev.fhirbolt.rest.operation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The $everything records recently cut into pages, as lists of {@code Type/id}: a record is read as of the first
 * page's transaction and the page token carries it, so the same request's later pages find the same record here and
 * read only their own resources instead of the whole record again (a patient with 12,000 resources was read whole
 * for every page). Few and short-lived: the newest {@value #MAX} records, each for {@value #KEEP_SECONDS} s.
 */
final class EverythingRecords {

    /** A record: the patients' resources ({@code matches} of them, the rest what they reference). */
    record Ids(List<String[]> refs, int matches) {
    }

    /** What makes two requests ask for the same record. */
    record Key(String patient, long asOfT, String types, String since, String start, String end) {
    }

    static final int MAX = 16;
    static final long KEEP_SECONDS = 120;

    private record Held(Ids ids, long madeNanos) {
    }

    private final Map<Key, Held> held = new LinkedHashMap<>(MAX, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Held> eldest) {
            return size() > MAX;
        }
    };

    /** The record for the key: kept, or made now (outside the lock: two requests may both make it). */
    Ids get(Key key, Supplier<Ids> make) {
        long now = System.nanoTime();
        synchronized (held) {
            Held h = held.get(key);
            if (h != null && now - h.madeNanos() < KEEP_SECONDS * 1_000_000_000L) {
                return h.ids();
            }
        }
        Ids ids = make.get();
        synchronized (held) {
            held.put(key, new Held(ids, System.nanoTime()));
        }
        return ids;
    }
}
