package dev.fhirbolt.authz.audit;

import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Runs an {@link AuditQuery} on one snapshot of the audit log: reads candidates in time order (forward, or backward
 * for {@code _sort=-date}) from the query's time range — every event in it, the events of one index term, or the
 * {@code _id}s — after the cursor, tests each against the clauses, and stops once the page is full (or, for the
 * total, when counting has examined enough).
 */
final class AuditSearch {

    /** Candidates a default total may examine beyond the page, as the search engine's default. */
    static final long TOTAL_BUDGET = 2_000;

    /** One page, the key to continue after, and the total when it was counted. */
    record Page(List<AuditStore.Event> events, Optional<byte[]> next, OptionalLong total) {
    }

    private AuditSearch() {
    }

    static Page run(AuditStore store, AuditQuery q) {
        try (KvSnapshot snapshot = store.snapshot()) {
            if (q.countOnly || q.count == 0) {
                OptionalLong total = q.total.equals("none") && !q.countOnly ? OptionalLong.empty()
                        : OptionalLong.of(count(snapshot, q, Optional.empty(), Long.MAX_VALUE));
                return new Page(List.of(), Optional.empty(), total);
            }
            List<AuditStore.Event> page = new ArrayList<>();
            boolean more = false;
            long matched = 0;
            long examined = 0;
            long budget = q.after.isPresent() ? 0 : switch (q.total) {
                case "none" -> 0;
                case "accurate" -> Long.MAX_VALUE;
                default -> TOTAL_BUDGET;
            };
            boolean exhausted = true;
            try (Candidates c = new Candidates(snapshot, q, q.after)) {
                for (AuditStore.Event e = c.next(); e != null; e = c.next()) {
                    if (more && ++examined > budget) {
                        exhausted = false;
                        break;
                    }
                    if (!q.matches(e)) {
                        continue;
                    }
                    matched++;
                    if (page.size() < q.count) {
                        page.add(e);
                    } else {
                        more = true;
                    }
                }
            }
            Optional<byte[]> next = more ? Optional.of(page.get(page.size() - 1).timeKey()) : Optional.empty();
            OptionalLong total = OptionalLong.empty();
            if (q.after.isEmpty() && exhausted && !q.total.equals("none")) {
                total = OptionalLong.of(matched);
            } else if (q.after.isPresent() && q.total.equals("accurate")) {
                total = OptionalLong.of(count(snapshot, q, Optional.empty(), Long.MAX_VALUE));
            }
            return new Page(page, next, total);
        }
    }

    private static long count(KvSnapshot snapshot, AuditQuery q, Optional<byte[]> after, long limit) {
        long n = 0;
        try (Candidates c = new Candidates(snapshot, q, after)) {
            for (AuditStore.Event e = c.next(); e != null && n < limit; e = c.next()) {
                if (q.matches(e)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The events a query must test, in its order, within its time range, after the cursor. */
    private static final class Candidates implements AutoCloseable {
        private final KvSnapshot snapshot;
        private final boolean descending;
        private final byte[] low;
        private final byte[] high;
        private final KvCursor cursor;
        private final byte[] prefix;
        private final List<byte[]> ids;
        private int nextId;
        private boolean started;
        private final Optional<byte[]> after;

        Candidates(KvSnapshot snapshot, AuditQuery q, Optional<byte[]> after) {
            this.snapshot = snapshot;
            this.descending = q.descending;
            this.low = AuditKeys.timeKey(q.fromMillis, Long.MIN_VALUE);
            this.high = AuditKeys.timeKey(q.toMillis, Long.MAX_VALUE);
            this.after = after;
            if (q.ids.isPresent()) {
                ids = new ArrayList<>(q.ids.get());
                ids.sort(descending ? (a, b) -> Arrays.compareUnsigned(b, a) : Arrays::compareUnsigned);
                prefix = null;
                cursor = null;
            } else {
                ids = null;
                prefix = q.term.map(AuditKeys::termPrefix).orElse(new byte[0]);
                cursor = snapshot.cursor(q.term.isPresent() ? AuditStore.INDEX : AuditStore.EVENTS);
            }
        }

        /** The next candidate, or null when there is none. */
        AuditStore.Event next() {
            if (ids != null) {
                while (nextId < ids.size()) {
                    byte[] key = ids.get(nextId++);
                    if (inRange(key) && (after.isEmpty() || beyond(key, after.get()))) {
                        Optional<byte[]> value = snapshot.get(AuditStore.EVENTS, key);
                        if (value.isPresent()) {
                            return AuditStore.event(key, value.get());
                        }
                    }
                }
                return null;
            }
            if (!started) {
                started = true;
                byte[] start = after.orElse(descending ? high : low);
                byte[] seekTo = AuditKeys.indexKey(prefix, start);
                if (descending) {
                    cursor.seekForPrev(seekTo);
                } else {
                    cursor.seek(seekTo);
                }
            } else {
                step();
            }
            while (cursor.isValid() && Bytes.startsWith(cursor.key(), prefix)) {
                byte[] key = cursor.key();
                byte[] timeKey = prefix.length == 0 ? key : AuditKeys.timeKeyOfIndexKey(key);
                if (after.isPresent() && Arrays.equals(timeKey, after.get())) {
                    step();
                    continue;
                }
                if (!inRange(timeKey)) {
                    return null;
                }
                if (prefix.length == 0) {
                    return AuditStore.event(timeKey, cursor.value());
                }
                Optional<byte[]> value = snapshot.get(AuditStore.EVENTS, timeKey);
                if (value.isPresent()) {
                    return AuditStore.event(timeKey, value.get());
                }
                step();
            }
            return null;
        }

        private void step() {
            if (descending) {
                cursor.prev();
            } else {
                cursor.next();
            }
        }

        /** Whether the key comes after {@code boundary} in the query's order. */
        private boolean beyond(byte[] key, byte[] boundary) {
            int c = Arrays.compareUnsigned(key, boundary);
            return descending ? c < 0 : c > 0;
        }

        private boolean inRange(byte[] timeKey) {
            return Arrays.compareUnsigned(timeKey, low) >= 0 && Arrays.compareUnsigned(timeKey, high) <= 0;
        }

        @Override
        public void close() {
            if (cursor != null) {
                cursor.close();
            }
        }
    }
}
