package dev.fhirbolt.authz.audit;

import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.database.WriteMethod;
import dev.fhirbolt.fhir.StampableJson;
import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.KvStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The audit log: an append-only, time-ordered keyspace of audit events and a small index of their agents,
 * entities and patients, written directly through the storage SPI in big durable batches — no transaction number,
 * no history, no change feed, no search index. The AuditEvent JSON is rendered from the stored record when read.
 * See docs/storage-layout.md.
 */
public final class AuditStore {

    static final String TYPE = "AuditEvent";
    /** {@code timeKey} → the record ({@link AuditRecordCodec}). */
    static final Keyspace EVENTS = new Keyspace("audit-event");
    /** {@code term 0 timeKey} → empty ({@link AuditKeys}). */
    static final Keyspace INDEX = new Keyspace("audit-index");
    private static final byte[] EMPTY = new byte[0];
    /**
     * Added to the last stored sequence at start-up: the newest key by time need not carry the previous run's
     * highest sequence (records reach the writer a little out of time order), and a key repeats only when both its
     * millisecond and its sequence do.
     */
    private static final long SEQUENCE_GAP = 1_000_000;
    private static final int PRUNE_BATCH = 4_096;

    private final KvStore kv;
    private final AtomicLong sequence;
    /** Most events one write carries (a cluster's log takes records of a bounded size). */
    private final int maxBatch;

    public AuditStore(KvStore kv) {
        this.kv = kv;
        this.sequence = new AtomicLong(lastSequence(kv) + SEQUENCE_GAP);
        this.maxBatch = Integer.MAX_VALUE;
    }

    /**
     * An audit log that several writers share (the nodes of a cluster, {@code kv} replicating every write to all):
     * this writer's keys take their sequence from {@code writer << 40} on, so two writers never make the same key, and
     * one write carries at most {@code maxBatch} events.
     */
    public static AuditStore shared(KvStore kv, long writer, int maxBatch) {
        if (writer < 0 || writer >= 1L << 22) {
            throw new IllegalArgumentException("writer number out of range: " + writer);
        }
        return new AuditStore(kv, writer << 40, maxBatch);
    }

    private AuditStore(KvStore kv, long firstSequence, int maxBatch) {
        this.kv = kv;
        this.sequence = new AtomicLong(firstSequence);
        this.maxBatch = maxBatch;
    }

    /** The keyspaces of the audit log; open the store with these too. */
    public static List<Keyspace> keyspaces() {
        return List.of(EVENTS, INDEX);
    }

    private static long lastSequence(KvStore kv) {
        try (KvSnapshot s = kv.snapshot(); KvCursor c = s.cursor(EVENTS)) {
            c.seekToLast();
            return c.isValid() ? AuditKeys.sequence(c.key()) : 0;
        }
    }

    /** An event with its key: as the writer appends it and as a read or search finds it. */
    static final class Event {
        private final byte[] timeKey;
        private final AuditRecord record;
        private final String site;
        private AuditEventContent content;

        Event(byte[] timeKey, AuditRecord record, String site) {
            this.timeKey = timeKey;
            this.record = record;
            this.site = site;
        }

        byte[] timeKey() {
            return timeKey;
        }

        AuditRecord record() {
            return record;
        }

        String site() {
            return site;
        }

        String id() {
            return AuditKeys.id(timeKey);
        }

        /** Decided once; searches test several clauses on it. */
        AuditEventContent content() {
            if (content == null) {
                content = AuditEventContent.of(record, site);
            }
            return content;
        }

        /** The AuditEvent as a read returns it. */
        ResourceVersion version() {
            Instant at = Instant.ofEpochMilli(AuditKeys.millis(timeKey));
            byte[] json = StampableJson.ofEncoded(AuditEventJson.write(id(), content())).stamp(1, at);
            return new ResourceVersion(TYPE, id(), 1, at, false, WriteMethod.CREATE, 0, json);
        }
    }

    /** Gives a record its key; keys taken one after the other sort in that order within a millisecond. */
    Event keyed(AuditRecord record, String site) {
        return new Event(AuditKeys.timeKey(record.at().toEpochMilli(), sequence.getAndIncrement()), record, site);
    }

    /** Stores the events and their index entries in one durable batch (or several of {@code maxBatch} events). */
    void append(List<Event> events) {
        for (int from = 0; from < events.size(); from += maxBatch) {
            KvBatch batch = new KvBatch();
            for (Event e : events.subList(from, (int) Math.min(events.size(), (long) from + maxBatch))) {
                batch.put(EVENTS, e.timeKey(), AuditRecordCodec.encode(e.record(), e.site()));
                for (String term : AuditKeys.terms(e.content())) {
                    batch.put(INDEX, AuditKeys.indexKey(AuditKeys.termPrefix(term), e.timeKey()), EMPTY);
                }
            }
            kv.write(batch, true);
        }
    }

    /**
     * Removes every event recorded before {@code cutoff} with its index entries, oldest first, in durable batches of
     * {@value #PRUNE_BATCH} events; returns how many were removed. Appends go on meanwhile: they only add newer keys.
     */
    long prune(Instant cutoff) {
        long removed = 0;
        KvBatch batch = new KvBatch();
        int inBatch = 0;
        try (KvSnapshot s = kv.snapshot(); KvCursor c = s.cursor(EVENTS)) {
            for (c.seekToFirst(); c.isValid() && AuditKeys.millis(c.key()) < cutoff.toEpochMilli(); c.next()) {
                Event e = event(c.key(), c.value());
                batch.delete(EVENTS, e.timeKey());
                for (String term : AuditKeys.terms(e.content())) {
                    batch.delete(INDEX, AuditKeys.indexKey(AuditKeys.termPrefix(term), e.timeKey()));
                }
                if (++inBatch == PRUNE_BATCH) {
                    kv.write(batch, true);
                    removed += inBatch;
                    batch = new KvBatch();
                    inBatch = 0;
                }
            }
        }
        if (inBatch > 0) {
            kv.write(batch, true);
            removed += inBatch;
        }
        return removed;
    }

    /** {@code AuditEvent/[id]}; empty when no event has that id. */
    public Optional<ResourceVersion> read(String id) {
        return AuditKeys.fromId(id).flatMap(key -> kv.get(EVENTS, key).map(value -> event(key, value).version()));
    }

    KvSnapshot snapshot() {
        return kv.snapshot();
    }

    static Event event(byte[] timeKey, byte[] value) {
        AuditRecordCodec.Decoded d = AuditRecordCodec.decode(Instant.ofEpochMilli(AuditKeys.millis(timeKey)), value);
        return new Event(timeKey, d.record(), d.site());
    }
}
