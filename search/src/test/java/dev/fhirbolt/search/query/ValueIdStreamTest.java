package dev.fhirbolt.search.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.fhirbolt.search.SearchFixture;
import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.storage.KvSnapshot;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream's seek lands where a storage seek would, whether it steps there (a few keys ahead) or seeks: on the first
 * id not below the target, even one it has already returned.
 */
class ValueIdStreamTest {

    @TempDir
    static Path dir;
    static SearchFixture db;

    @BeforeAll
    static void load() {
        db = new SearchFixture(dir);
        for (int i = 0; i < 40; i++) {
            db.create("{\"resourceType\":\"Observation\",\"id\":\"" + String.format("o%02d", i) + "\",\"status\":"
                    + "\"final\",\"code\":{\"coding\":[{\"system\":\"s\",\"code\":\"" + (i % 2 == 0 ? "even" : "odd")
                    + "\"}]}}");
        }
    }

    @AfterAll
    static void close() {
        db.close();
    }

    static IdStream stream(IndexReader reader, String code) {
        return reader.valueStream("code", "Observation", Encoded.strings(Encoded.SYSTEM_CODE, "s", code));
    }

    @Test
    void seeksNearAndFarLandOnTheFirstIdNotBelowTheTarget() {
        try (KvSnapshot snapshot = db.kv.snapshot(); IndexReader reader = new IndexReader(snapshot)) {
            IdStream even = stream(reader, "even");
            assertEquals("o00", even.next());
            even.seek("o03"); // a step away
            assertEquals("o04", even.next());
            even.seek("o04"); // the id returned last is not below the target: it comes again
            assertEquals("o04", even.next());
            even.seek("o31"); // beyond the steps: a storage seek
            assertEquals("o32", even.next());
            assertEquals("o34", even.next());
            even.seek("o38\0\u00FF"); // just after an id, as a cursor page resumes
            assertNull(even.next());
        }
    }

    @Test
    void aMergedStreamSeeksPartsWhoseHeadIsPastTheTarget() {
        try (KvSnapshot snapshot = db.kv.snapshot(); IndexReader reader = new IndexReader(snapshot)) {
            IdStream merged = new MergedIdStream(List.of(stream(reader, "even"), stream(reader, "odd")));
            assertEquals("o00", merged.next());
            assertEquals("o01", merged.next());
            merged.seek("o02"); // the odd part already holds o03
            assertEquals(List.of("o02", "o03", "o04"), List.of(merged.next(), merged.next(), merged.next()));
            IdStream both = new IntersectIdStream(List.of(stream(reader, "even"),
                    new MergedIdStream(List.of(stream(reader, "even"), stream(reader, "odd")))));
            assertEquals("o00", both.next());
            assertEquals("o02", both.next());
        }
    }
}
