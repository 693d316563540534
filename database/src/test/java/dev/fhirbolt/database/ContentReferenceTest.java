package dev.fhirbolt.database;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.rocksdb.RocksDbEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Versions whose bodies name a {@link VersionedBody#reference()} are stored as that reference and read back through
 * the store's {@link ContentSource}, stamped as they were written; the other versions keep their bytes.
 */
class ContentReferenceTest {

    KvStore kv;
    ResourceStore store;
    /** What the "content store" holds: reference → the body's template, stamped on resolve as the pipeline did. */
    final Map<String, String> contents = new ConcurrentHashMap<>();
    final AtomicInteger resolved = new AtomicInteger();

    @BeforeEach
    void open() throws Exception {
        kv = new RocksDbEngine(Files.createTempDirectory("db-test"), 8 << 20).open(ResourceStore.keyspaces());
        store = new ResourceStore(kv, Clock.systemUTC(), DerivedKeyFinder.NONE);
    }

    @AfterEach
    void close() {
        store.close();
        kv.close();
    }

    private static byte[] stamp(String template, long version, Instant lastUpdated) {
        return (template + "|" + version + "|" + lastUpdated.toEpochMilli()).getBytes(StandardCharsets.UTF_8);
    }

    private VersionedBody referenced(String reference, String template) {
        contents.put(reference, template);
        return new VersionedBody() {
            @Override
            public byte[] stamp(long version, Instant lastUpdated) {
                return ContentReferenceTest.stamp(template, version, lastUpdated);
            }

            @Override
            public Optional<byte[]> reference() {
                return Optional.of(reference.getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    private void readThroughContents() {
        store.readContentsFrom((reference, version, lastUpdated) -> {
            resolved.incrementAndGet();
            return stamp(contents.get(new String(reference, StandardCharsets.UTF_8)), version, lastUpdated);
        });
    }

    @Test
    void aReferencedVersionIsStoredSmallAndReadAsItWasWritten() {
        readThroughContents();
        WriteOutcome first = store.commit(Commit.of(new Write(WriteMethod.CREATE, "Patient", "p", Expectation.ABSENT,
                referenced("ref-1", "first"), DerivedEntries.NONE))).get(0);
        store.commit(Commit.of(new Write(WriteMethod.UPDATE, "Patient", "p", Expectation.ANY,
                referenced("ref-2", "second"), DerivedEntries.NONE)));
        store.commit(Commit.of(Write.delete("Patient", "p", Expectation.ANY)));

        byte[] raw = kv.get(ResourceKeyspaces.VERSIONS, ResourceKeyspaces.versionKey("Patient", "p", 1)).orElseThrow();
        assertEquals(18 + "ref-1".length(), raw.length, "the reference is stored, not the contents");
        ResourceVersion v1 = store.readVersion("Patient", "p", 1).orElseThrow();
        assertArrayEquals(first.version().json(), v1.json(), "read back as the writer's outcome had it");
        assertEquals("second|2|" + store.readVersion("Patient", "p", 2).orElseThrow().lastUpdated().toEpochMilli(),
                new String(store.readVersion("Patient", "p", 2).orElseThrow().json(), StandardCharsets.UTF_8));
        assertNull(store.readCurrent("Patient", "p").orElseThrow().json(), "a deletion has no contents");

        resolved.set(0);
        HistoryPage page = store.history(new HistoryQuery(Optional.of("Patient"), Optional.of("p"), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 2));
        assertEquals(2, page.versions().size());
        assertEquals(1, resolved.get(), "only the versions on the page are resolved (the deletion needs none, version 1 is past it)");
    }

    @Test
    void aStoreWithoutAContentSourceAnswers503ForAReference() {
        store.commit(Commit.of(new Write(WriteMethod.CREATE, "Patient", "q", Expectation.ABSENT,
                referenced("ref-3", "x"), DerivedEntries.NONE)));
        FhirException e = assertThrows(FhirException.class, () -> store.readCurrent("Patient", "q"));
        assertEquals(503, e.status());
    }

    @Test
    void bodiesWithoutAReferenceKeepTheirBytes() {
        readThroughContents();
        store.commit(Commit.of(ResourceStoreTest.create("Patient", "r")));
        assertEquals("{\"resourceType\":\"Patient\",\"id\":\"r\",\"v\":1}",
                new String(store.readCurrent("Patient", "r").orElseThrow().json(), StandardCharsets.UTF_8));
        assertEquals(0, resolved.get());
    }
}
