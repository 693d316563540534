package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fhirbolt.app.load.HttpTarget;
import dev.fhirbolt.app.load.LoadTarget;
import dev.fhirbolt.app.load.Loader;
import dev.fhirbolt.app.load.OfflineTarget;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures loading a Synthea directory: {@code -Dfhirbolt.loadDir=/tmp/synthea-10/fhir}. Off by default; uses the
 * test-only identifier matcher (a scan per query) until the search engine provides the real one.
 */
@EnabledIfSystemProperty(named = "fhirbolt.loadDir", matches = ".+")
class LoadBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void overHttpAndOffline() throws Exception {
        List<Path> files = Loader.collect(List.of(Path.of(System.getProperty("fhirbolt.loadDir"))));
        int threads = Integer.getInteger("fhirbolt.loadThreads", 4);
        try (TxServer server = TxServer.start(dir.resolve("http"));
                LoadTarget target = new HttpTarget(server.baseUrl)) {
            Loader.Summary s = new Loader(target, new Loader.Options(threads, 500, true), System.err).load(files);
            System.err.print("HTTP:    ");
            Loader.printSummary(s, System.err);
            assertEquals(0, s.errorCount());
        }
        ServerConfig config = TxServer.config(dir.resolve("offline"), 50_000, 256L * 1024 * 1024);
        try (OfflineApi offline = OfflineApi.open(config);
                LoadTarget target = new OfflineTarget(offline.api(), "offline", null)) {
            Loader.Summary s = new Loader(target, new Loader.Options(threads, 500, true), System.err).load(files);
            System.err.print("offline: ");
            Loader.printSummary(s, System.err);
            assertEquals(0, s.errorCount());
        }
    }
}
