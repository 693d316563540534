package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fhirbolt.app.load.Loader;
import dev.fhirbolt.app.load.LoadTarget;
import dev.fhirbolt.app.load.OfflineTarget;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fhirbolt load --data-dir} opens the data dir in bulk-load mode (no write-ahead log, durable at close): what
 * it reports loaded is what the server then serves, after a normal end, a failed bundle, Ctrl-C, or a kill -9.
 */
class OfflineLoadTest {

    private static final Pattern LOADED = Pattern.compile("loaded ([\\d,]+) resources");
    private static final Pattern PROGRESS = Pattern.compile("resources ([\\d,]+) ");

    @TempDir
    Path dir;

    @Test
    void theServerServesABulkLoadedDataDir() throws Exception {
        Path data = dir.resolve("data");
        Output out = load("--data-dir", data.toString(), "--no-progress", SyntheaLoadTest.SAMPLE.toString());
        assertEquals(0, out.code, out.text);
        long total = SyntheaLoadTest.expectedCounts().values().stream().mapToLong(Long::longValue).sum();
        assertEquals(total, loaded(out.text), out.text);
        try (TestServer server = TestServer.start(data, Map.of())) {
            JsonNode patients = SyntheaLoadTest.MAPPER.readTree(server.get("/Patient").body());
            assertEquals(2, patients.path("total").asInt(), patients.toString());
            String patientId = patients.path("entry").get(0).path("resource").path("id").asText();
            assertEquals(200, server.get("/Patient/" + patientId).statusCode());
            JsonNode observations = SyntheaLoadTest.MAPPER.readTree(
                    server.get("/Observation?patient=Patient/" + patientId + "&_summary=count").body());
            assertTrue(observations.path("total").asInt() > 10, observations.toString());
            long expectedEncounters = SyntheaLoadTest.expectedCounts().get("Encounter");
            assertEquals(expectedEncounters, SyntheaLoadTest.MAPPER.readTree(
                    server.get("/Encounter?_summary=count").body()).path("total").asLong());
            // conditional references were resolved as the server resolves them: to stored practitioners
            JsonNode encounter = SyntheaLoadTest.MAPPER.readTree(server.get("/Encounter?_count=1").body())
                    .path("entry").get(0).path("resource");
            String practitioner = encounter.path("participant").get(0).path("individual").path("reference").asText();
            assertEquals(200, server.get("/" + practitioner).statusCode(), practitioner);
        }
    }

    @Test
    void aFailedBundleIsReportedWithItsFileAndTheOthersLoad() throws Exception {
        Path input = dir.resolve("input");
        Files.createDirectories(input);
        try (var files = Files.list(SyntheaLoadTest.SAMPLE)) {
            for (Path f : files.toList()) {
                Files.copy(f, input.resolve(f.getFileName()));
            }
        }
        Files.writeString(input.resolve("broken.json"), "{\"resourceType\":\"Bundle\",\"type\":\"transaction\","
                + "\"entry\":[{\"resource\":{\"resourceType\":\"Patient\",\"birthDate\":\"never\"},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}]}");
        Files.writeString(input.resolve("truncated.json"), "{\"resourceType\":\"Bundle\",\"type\":\"tra");
        Path data = dir.resolve("data");
        Output out = load("--data-dir", data.toString(), "--no-progress", input.toString());
        assertEquals(1, out.code, out.text);
        assertTrue(out.text.contains("2 errors"), out.text);
        assertTrue(out.text.contains("  broken.json: HTTP 400"), out.text);
        assertTrue(out.text.contains("  truncated.json: HTTP 400"), out.text);
        long total = SyntheaLoadTest.expectedCounts().values().stream().mapToLong(Long::longValue).sum();
        assertEquals(total, loaded(out.text), out.text);
        try (TestServer server = TestServer.start(data, Map.of())) {
            assertEquals(2, count(server, "Patient"));
        }
    }

    @Test
    void cancellingFinishesTheBundlesInFlightAndKeepsThem() throws Exception {
        Path data = dir.resolve("data");
        ServerConfig config = TxServer.config(data, 50_000, 128L * 1024 * 1024);
        List<Path> files = Loader.collect(List.of(SyntheaLoadTest.SAMPLE));
        Loader.Summary summary;
        try (OfflineApi offline = OfflineApi.open(config);
                LoadTarget target = new CancellingAfterFirst(new OfflineTarget(offline.api(), "offline", null))) {
            Loader loader = new Loader(target, new Loader.Options(1, 500, false), System.err);
            ((CancellingAfterFirst) target).loader = loader;
            summary = loader.load(files);
        }
        assertTrue(summary.cancelled());
        assertEquals(1, summary.filesDone());
        assertEquals(0, summary.errorCount(), summary.errors().toString());
        long hospitalEntries = SyntheaLoadTest.MAPPER.readTree(files.get(0).toFile()).path("entry").size();
        assertEquals(hospitalEntries, summary.resources());
        try (TestServer server = TestServer.start(data, Map.of())) {
            // the first file, the hospitals' batch, is there in full; nothing after it
            assertEquals(hospitalEntries, count(server, "Organization") + count(server, "Location"));
            assertEquals(0, count(server, "Practitioner") + count(server, "Patient"));
        }
    }

    /**
     * Offline, the first Ctrl-C abandons a transaction still being planned: the load ends within seconds, says the
     * file was abandoned with nothing stored, and the data directory holds nothing of it.
     */
    @Test
    void theFirstCtrlCAbandonsATransactionInFlightWithinSeconds() throws Exception {
        Path file = dir.resolve("big.json");
        Files.writeString(file, LargeTransactionTest.transaction(300, 100)); // 30,300 entries, about 16 MB
        Path data = dir.resolve("data");
        CliProcess load = CliProcess.withHeap("512m", "load", "--no-progress", "--data-dir", data.toString(),
                file.toString());
        long deadline = System.currentTimeMillis() + 120_000;
        while (!load.err().contains("loading 1 file") && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(500);
        long sent = System.nanoTime();
        new ProcessBuilder("kill", "-INT", Long.toString(load.process.pid())).start().waitFor();
        int code = load.exitCode(60);
        double seconds = (System.nanoTime() - sent) / 1e9;
        String err = load.err();
        assertEquals(130, code, err);
        assertTrue(seconds < 15, "ended " + seconds + " s after Ctrl-C: " + err);
        assertTrue(err.contains("interrupted: 0 of 1 file loaded, 1 file in flight abandoned before committing"),
                err);
        assertTrue(err.contains("files: 0 loaded, 0 with errors, 0 cut short, 0 unknown, 1 not started"), err);
        try (TestServer server = TestServer.start(data, Map.of())) {
            assertEquals(0, count(server, "Patient") + count(server, "Observation"));
        }
    }

    /** Offline, a large transaction moves the progress bar as its entries are processed, not only once committed. */
    @Test
    void aLargeTransactionReportsItsProgressAsItGoes() throws Exception {
        byte[] bundle = LargeTransactionTest.transaction(100, 100).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ServerConfig config = TxServer.config(dir.resolve("data"), 50_000, 128L * 1024 * 1024);
        List<Long> reports = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        LoadTarget.Response response;
        try (OfflineApi offline = OfflineApi.open(config);
                LoadTarget target = new OfflineTarget(offline.api(), "offline", null)) {
            response = target.postBundle(bundle, reports::add);
        }
        assertEquals(200, response.status(), new String(response.body()));
        long total = reports.stream().mapToLong(Long::longValue).sum();
        assertTrue(reports.size() > 100, "only " + reports.size() + " progress reports");
        // every entry is reported twice (read, then written), and the whole Bundle once more at the end
        assertTrue(total >= bundle.length && total <= 2L * bundle.length + 1, total + " of " + bundle.length);
    }

    private static long count(TestServer server, String type) throws Exception {
        return SyntheaLoadTest.MAPPER.readTree(server.get("/" + type + "?_summary=count").body()).path("total")
                .asLong();
    }

    @Test
    void sigtermStopsBetweenBundlesAndTheDataDirHoldsWhatWasReported() throws Exception {
        Path data = dir.resolve("data");
        Process process = startLoad(data, patientsNdjson(200_000));
        waitForProgress(process);
        process.destroy();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        String text = Files.readString(dir.resolve("load.log"));
        assertEquals(143, process.exitValue(), text);
        assertTrue(text.contains("interrupted: 0 of 1 file loaded"), text);
        assertTrue(text.contains("1 cut short"), text);
        long loaded = loaded(text);
        assertTrue(loaded > 0 && loaded < 200_000, text);
        try (TestServer server = TestServer.start(data, Map.of())) {
            assertEquals(loaded, count(server, "Patient"), text);
        }
    }

    @Test
    void killDashNineLeavesADataDirTheServerOpens() throws Exception {
        Path data = dir.resolve("data");
        Process process = startLoad(data, patientsNdjson(200_000));
        waitForProgress(process);
        process.destroyForcibly();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        try (TestServer server = TestServer.start(data, Map.of())) {
            // what RocksDB had flushed before the kill (whole batches), or nothing; and the server takes writes
            long before = count(server, "Patient");
            assertTrue(before >= 0 && before < 200_000, "" + before);
            assertEquals(201, server.send("PUT", "/Patient/after-kill", "{\"resourceType\":\"Patient\","
                    + "\"id\":\"after-kill\"}").statusCode());
            assertEquals(before + 1, count(server, "Patient"));
        }
    }

    private Path patientsNdjson(int lines) throws Exception {
        Path file = dir.resolve("Patient.ndjson");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            text.append("{\"resourceType\":\"Patient\",\"id\":\"p-").append(i)
                    .append("\",\"name\":[{\"family\":\"F").append(i).append("\"}],\"gender\":\"female\"}\n");
        }
        Files.writeString(file, text);
        return file;
    }

    private Process startLoad(Path data, Path input) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(List.of(java, "-Xmx512m", "-XX:+UseParallelGC", "-cp",
                System.getProperty("java.class.path"), "dev.fhirbolt.app.Main", "load", "--data-dir", data.toString(),
                input.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("load.log").toFile()).start();
    }

    /** Waits until the progress line shows loaded resources. */
    private void waitForProgress(Process process) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline && process.isAlive()) {
            Matcher m = PROGRESS.matcher(Files.readString(dir.resolve("load.log")));
            while (m.find()) {
                if (Long.parseLong(m.group(1).replace(",", "")) > 0) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new AssertionError("no progress: " + Files.readString(dir.resolve("load.log")));
    }

    private static long loaded(String output) {
        Matcher m = LOADED.matcher(output);
        assertTrue(m.find(), output);
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    private record Output(int code, String text) {
    }

    private static Output load(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true));
            String[] all = new String[args.length + 1];
            all[0] = "load";
            System.arraycopy(args, 0, all, 1, args.length);
            code = new CommandLine(new Main()).execute(all);
        } finally {
            System.setErr(old);
        }
        return new Output(code, err.toString());
    }

    /** Cancels the load once its first bundle has been answered, as Ctrl-C would. */
    private static final class CancellingAfterFirst implements LoadTarget {
        private final LoadTarget target;
        volatile Loader loader;

        CancellingAfterFirst(LoadTarget target) {
            this.target = target;
        }

        @Override
        public Response postBundle(byte[] bundleJson) throws Exception {
            Response response = target.postBundle(bundleJson);
            loader.cancel();
            return response;
        }

        @Override
        public String describe() {
            return target.describe();
        }
    }
}
