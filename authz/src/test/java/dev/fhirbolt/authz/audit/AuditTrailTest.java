package dev.fhirbolt.authz.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.search.SearchEngine;
import dev.fhirbolt.search.index.IndexEntryFinder;
import dev.fhirbolt.search.SearchParameterRegistry;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.rocksdb.RocksDbEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trail on a real RocksDB store: every record stored, the log file holds exactly what was stored. */
class AuditTrailTest {

    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    @TempDir
    Path dir;
    KvStore kv;
    ResourceStore store;

    @BeforeEach
    void open() {
        List<Keyspace> keyspaces = new ArrayList<>(ResourceStore.keyspaces());
        keyspaces.addAll(SearchEngine.keyspaces());
        kv = new RocksDbEngine(dir.resolve("db"), 8L << 20).open(keyspaces);
        store = new ResourceStore(kv, Clock.systemUTC(), new IndexEntryFinder());
    }

    @AfterEach
    void closeStore() {
        store.close();
        kv.close();
    }

    @Test
    void storesEveryRecordAndLogsWhatItStored() throws Exception {
        Path log = dir.resolve("logs/audit.ndjson");
        List<AuditRecord> records = AuditEventFormsTest.records();
        int n = 2_000;
        try (AuditTrail trail = new AuditTrail(store, new SearchParameterRegistry(), "https://x/fhir", log)) {
            for (int i = 0; i < n; i++) {
                trail.record(records.get(i % records.size()));
            }
            assertTrue(trail.flush(60_000));
            assertEquals(0, trail.dropped());
            assertEquals(0, trail.pending());
        }
        assertEquals(n, store.countType("AuditEvent", n + 1));
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertEquals(n, lines.size());
        for (String line : lines.subList(0, 50)) {
            Matcher id = ID.matcher(line);
            assertTrue(id.find(), line);
            ResourceVersion stored = store.readCurrent("AuditEvent", id.group(1)).orElseThrow();
            assertArrayEquals(stored.json(), line.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void closeStoresWhatIsQueued() throws Exception {
        int n = 3_000;
        try (AuditTrail trail = new AuditTrail(store, new SearchParameterRegistry(), "https://x/fhir", null)) {
            for (int i = 0; i < n; i++) {
                trail.record(new AuditRecord(Instant.now(), "rest", "read", "R", true, "200", null, null, null, null,
                        "127.0.0.1", "GET /Observation/" + i, "Observation/" + i));
            }
        }
        assertEquals(n, store.countType("AuditEvent", n + 1));
    }
}
