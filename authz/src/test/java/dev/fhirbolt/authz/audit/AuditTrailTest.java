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
import java.time.Instant;
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
}
