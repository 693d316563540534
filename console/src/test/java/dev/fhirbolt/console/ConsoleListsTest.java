package dev.fhirbolt.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's lists of loads and exports survive a restart through their state files. */
class ConsoleListsTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void loadsAreKeptAndARunningOneIsInterrupted(@TempDir Path dir) {
        StateFile file = new StateFile(dir.resolve("console").resolve("loads.json"));
        Loads before = new Loads(clock, file);
        Loads.Load done = before.start("a1", "alice", "patients.ndjson");
        done.committed.set(4000);
        done.bytes.set(123_456);
        before.finish(done, "4000 committed");
        before.start("a2", "alice", "big.json");
        before.start("b1", "bob", "x.ndjson");

        Loads after = new Loads(clock, file);
        assertEquals(2, after.of("alice").size());
        Loads.Load running = after.of("alice").get(0);
        assertEquals("a2", running.id);
        assertFalse(running.running());
        assertEquals(Loads.INTERRUPTED, running.message());
        Loads.Load finished = after.find("a1", "alice");
        assertEquals(4000, finished.committed.get());
        assertEquals(123_456, finished.bytes.get());
        assertEquals("4000 committed", finished.message());
        assertEquals(Instant.parse("2026-12-07T10:00:00Z"), finished.started);
        assertEquals(1, after.of("bob").size());
    }

    @Test
    void exportsAreKept(@TempDir Path dir) {
        StateFile file = new StateFile(dir.resolve("exports.json"));
        new Exports(clock, file).add("job-1", "alice", "system", "/fhir/$export-poll-status?_jobId=job-1");
        Exports after = new Exports(clock, file);
        Exports.Job j = after.find("job-1", "alice");
        assertEquals("/fhir/$export-poll-status?_jobId=job-1", j.pollPath());
        assertEquals("system", j.level());
        assertTrue(after.of("bob").isEmpty());
    }

    @Test
    void anUnreadableFileIsAnEmptyList(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("loads.json");
        Files.writeString(bad, "not json");
        assertTrue(new Loads(clock, new StateFile(bad)).of("alice").isEmpty());
        assertTrue(new Loads(clock, StateFile.none()).of("alice").isEmpty());
    }
}
