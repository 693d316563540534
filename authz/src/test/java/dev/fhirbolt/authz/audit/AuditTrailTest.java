package dev.fhirbolt.authz.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.rocksdb.RocksDbEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trail on a real RocksDB store: every record stored, the log file holds exactly what a read returns. */
class AuditTrailTest {

    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    @TempDir
    Path dir;
    KvStore kv;
    AuditStore store;

    @BeforeEach
    void open() {
        kv = new RocksDbEngine(dir.resolve("db"), 8L << 20).open(AuditStore.keyspaces());
        store = new AuditStore(kv);
    }

    @AfterEach
    void closeStore() {
        kv.close();
    }

    @Test
    void storesEveryRecordAndLogsWhatItStored() throws Exception {
        Path log = dir.resolve("logs/audit.ndjson");
        List<AuditRecord> records = AuditEventFormsTest.records();
        int n = 2_000;
        try (AuditTrail trail = new AuditTrail(store, "https://x/fhir", log)) {
            for (int i = 0; i < n; i++) {
                trail.record(records.get(i % records.size()));
            }
            assertTrue(trail.flush(60_000));
            assertEquals(0, trail.dropped());
            assertEquals(0, trail.pending());
        }
        assertEquals(n, events());
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertEquals(n, lines.size());
        for (String line : lines.subList(0, 50)) {
            Matcher id = ID.matcher(line);
            assertTrue(id.find(), line);
            ResourceVersion stored = store.read(id.group(1)).orElseThrow();
            assertArrayEquals(stored.json(), line.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aFullDiskDegradesHealthAndTheWriterKeepsTakingRecords() throws Exception {
        dev.fhirbolt.common.Health health = new dev.fhirbolt.common.Health();
        // a real RocksDB store that keeps more disk free than there is: it refuses every batch as a full disk would
        try (KvStore other = new RocksDbEngine(dir.resolve("other"), 8L << 20).withMinFreeBytes(Long.MAX_VALUE / 4)
                .open(AuditStore.keyspaces());
                AuditTrail trail = new AuditTrail(new AuditStore(other), "https://x/fhir", null, health)) {
            List<AuditRecord> records = AuditEventFormsTest.records();
            for (int round = 0; round < 3; round++) {
                trail.record(records.get(round % records.size()));
                assertTrue(trail.flush(10_000), "the writer still takes records after a failed batch");
            }
            assertEquals(3, trail.dropped());
            var condition = health.condition(AuditTrail.HEALTH_NAME).orElseThrow();
            assertEquals(dev.fhirbolt.common.Health.Level.DEGRADED, condition.level());
            assertTrue(condition.reason().contains("cannot be stored"), condition.reason());
        }
    }

    @Test
    void closeStoresWhatIsQueued() throws Exception {
        int n = 3_000;
        try (AuditTrail trail = new AuditTrail(store, "https://x/fhir", null)) {
            for (int i = 0; i < n; i++) {
                trail.record(new AuditRecord(Instant.now(), "rest", "read", "R", true, "200", null, null, null, null,
                        "127.0.0.1", "GET /Observation/" + i, "Observation/" + i));
            }
        }
        assertEquals(n, events());
    }

    /** Ids stay unique across a reopening, even for events of the same millisecond. */
    @Test
    void keysStayUniqueAfterReopening() {
        AuditRecord r = AuditEventFormsTest.records().get(0);
        AuditStore.Event first = store.keyed(r, "s");
        store.append(List.of(first));
        AuditStore.Event second = new AuditStore(kv).keyed(r, "s");
        assertTrue(AuditKeys.sequence(second.timeKey()) > AuditKeys.sequence(first.timeKey()));
    }

    private long events() {
        long n = 0;
        try (KvSnapshot s = kv.snapshot(); KvCursor c = s.cursor(AuditStore.EVENTS)) {
            for (c.seekToFirst(); c.isValid(); c.next()) {
                n++;
            }
        }
        return n;
    }

    @Test
    void retentionRemovesOldEventsAndTheirIndexEntries() {
        Instant now = Instant.parse("2026-11-29T12:00:00Z");
        List<AuditStore.Event> old = new ArrayList<>();
        List<AuditStore.Event> recent = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            Instant at = i % 2 == 0 ? now.minus(Duration.ofDays(31)).plusSeconds(i) : now.minus(Duration.ofDays(29));
            AuditRecord r = new AuditRecord(at, "rest", "read", "R", true, "200", "patient1", "Patient/p" + i % 7,
                    "app", "Patient/p" + i % 7, "127.0.0.1", "GET /Observation/" + i, "Observation/" + i);
            (i % 2 == 0 ? old : recent).add(store.keyed(r, "https://x/fhir"));
        }
        store.append(old);
        store.append(recent);
        long before = indexEntries();
        AuditRetention retention = new AuditRetention(store, Duration.ofDays(30), Clock.fixed(now, ZoneOffset.UTC));
        try {
            assertEquals(old.size(), retention.prune());
            assertEquals(0, retention.prune(), "nothing left to remove");
        } finally {
            retention.close();
        }
        assertEquals(recent.size(), events());
        assertTrue(store.read(old.get(0).id()).isEmpty());
        assertTrue(store.read(recent.get(0).id()).isPresent());
        long cutoff = now.minus(Duration.ofDays(30)).toEpochMilli();
        long left = 0;
        try (KvSnapshot s = kv.snapshot(); KvCursor c = s.cursor(AuditStore.INDEX)) {
            for (c.seekToFirst(); c.isValid(); c.next()) {
                assertTrue(AuditKeys.millis(AuditKeys.timeKeyOfIndexKey(c.key())) >= cutoff, "an old index entry");
                left++;
            }
        }
        assertEquals(before / 2, left, "the recent events keep their index entries");
    }

    private long indexEntries() {
        long n = 0;
        try (KvSnapshot s = kv.snapshot(); KvCursor c = s.cursor(AuditStore.INDEX)) {
            for (c.seekToFirst(); c.isValid(); c.next()) {
                n++;
            }
        }
        return n;
    }
}
