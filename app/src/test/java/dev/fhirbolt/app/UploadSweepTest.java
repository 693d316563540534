package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.rocksdb.RocksDbEngine;
import dev.fhirbolt.terminology.ConceptStore;
import dev.fhirbolt.terminology.StreamedConcepts;
import dev.fhirbolt.terminology.UploadSweep;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep of abandoned {@code $upload} records ({@code terminology/UploadSweep}): an upload cut short by a kill -9,
 * and the records a kill leaves between a CodeSystem's DELETE and the janitor's deletion, are gone after the next
 * start, while the uploads that current CodeSystems name stay and answer; an upload going on is left alone.
 */
class UploadSweepTest {

    private static final Keyspace INDEX = new Keyspace("terminology-index");

    /** A small CodeSystem of {@code n} concepts K0..K(n-1) as FHIR JSON, each with a definition of {@code pad}. */
    static String codeSystem(String url, int n, String pad) {
        StringBuilder s = new StringBuilder("{\"resourceType\":\"CodeSystem\",\"url\":\"" + url + "\","
                + "\"status\":\"active\",\"content\":\"complete\",\"concept\":[");
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : ",").append(concept(i, pad));
        }
        return s.append("]}").toString();
    }

    private static String concept(int i, String pad) {
        return "{\"code\":\"K" + i + "\",\"display\":\"kept concept " + i + "\",\"definition\":\"" + pad + "\"}";
    }

    private static HttpResponse<String> upload(HttpClient http, String base, String id, String json)
            throws Exception {
        return CodeSystemUploadTest.upload(http, base, id,
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anUploadCutShortByAKillIsSweptAtTheNextStartWhileACommittedOneStays(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = dir.resolve("server.log");
        Process server = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve",
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--data-dir", data.toString(),
                "--security", "off", "--demo-setup", "false"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long sentAtKill;
        try {
            String base = "http://127.0.0.1:" + port;
            HttpClient http = HttpClient.newHttpClient();
            CodeSystemUploadTest.awaitHealth(http, base, server, log);
            HttpResponse<String> kept = upload(http, base, "kept", codeSystem("http://example.org/cs/kept", 40, "k"));
            assertEquals(201, kept.statusCode(), kept.body());

            // a large upload, killed (-9) once its first batches are in the store: the storage engine's estimate of
            // its keys (on /metrics, refreshed every second) has grown by 20,000 since the kept upload
            long baseline = estimatedKeys(http, base);
            long[] sent = new long[1];
            InputStream counted = new java.io.FilterInputStream(CodeSystemUploadTest.generated(400_000,
                    "d".repeat(200))) {
                @Override
                public int read(byte[] b, int off, int len) throws java.io.IOException {
                    int n = super.read(b, off, len);
                    sent[0] += Math.max(0, n);
                    return n;
                }
            };
            CompletableFuture<HttpResponse<String>> cut = http.sendAsync(HttpRequest.newBuilder(
                    URI.create(base + "/CodeSystem/cut/$upload")).header("Content-Type", "application/fhir+json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> counted)).build(),
                    HttpResponse.BodyHandlers.ofString());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (estimatedKeys(http, base) < baseline + 20_000 && !cut.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            sentAtKill = sent[0];
            server.destroyForcibly();
            assertTrue(server.waitFor(30, TimeUnit.SECONDS));
            assertTrue(!cut.isDone() || cut.isCompletedExceptionally(), "the upload must not have completed");
        } finally {
            server.destroyForcibly().waitFor();
        }

        // what the kill left: the kept upload's 40 concepts and the cut one's first batches, named by nothing
        Map<String, Long> left;
        try (KvStore kv = new RocksDbEngine(data.resolve("db"), 8 << 20).open(Backend.keyspaces())) {
            left = perUpload(kv, ConceptStore.CONCEPTS);
        }
        assertEquals(2, left.size(), "kept and cut: " + left + "; " + CodeSystemUploadTest.tail(log));
        assertTrue(left.containsValue(40L), left.toString());
        long cutConcepts = left.values().stream().mapToLong(Long::longValue).sum() - 40;
        assertTrue(cutConcepts > 1_000, "the kill after " + sentAtKill + " bytes left " + cutConcepts + " concepts");

        long started = System.nanoTime();
        try (TestServer restarted = TestServer.start(data, Map.of())) {
            System.out.printf("restarted in %.1f s; %,d concepts of the cut upload left by the kill%n",
                    (System.nanoTime() - started) / 1e9, cutConcepts);
            KvStore kv = restarted.server.store().kv();
            awaitUploads(kv, m -> m.size() == 1, "only the kept upload's records");
            assertEquals(Map.of(40L, 1L), countsOf(perUpload(kv, ConceptStore.CONCEPTS)));
            assertEquals(1, perUpload(kv, INDEX).size(), "the cut upload's index records are swept too");
            assertAnswers(restarted, "http://example.org/cs/kept", 40);
            assertEquals(404, restarted.get("/CodeSystem/cut").statusCode());
            String metrics = restarted.get("/metrics").body();
            assertTrue(metrics.contains("fhirbolt_terminology_swept_uploads_total 1.0"), metrics);
        }
    }

    @Test
    void recordsAJanitorKillLeavesAreSweptUnlessACurrentCodeSystemNamesThem(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        String uploadA;
        String uploadC;
        try (TestServer server = TestServer.start(data, Map.of())) {
            assertEquals(201, upload(server.http, server.base, "a", codeSystem("http://example.org/cs/a", 30, "a"))
                    .statusCode());
            assertEquals(201, upload(server.http, server.base, "c", codeSystem("http://example.org/cs/c", 25, "c"))
                    .statusCode());
            // b shares a's upload: a PUT of a's stored CodeSystem (extension included) under another id and url
            String a = server.get("/CodeSystem/a").body();
            uploadA = uploadOf(a);
            uploadC = uploadOf(server.get("/CodeSystem/c").body());
            HttpResponse<String> b = server.send("PUT", "/CodeSystem/b", a.replace("\"id\":\"a\"", "\"id\":\"b\"")
                    .replace("http://example.org/cs/a", "http://example.org/cs/b"));
            assertEquals(201, b.statusCode(), b.body());
        }
        // the records of both uploads as they are now
        Map<Keyspace, List<byte[][]>> saved = new java.util.HashMap<>();
        try (KvStore kv = new RocksDbEngine(data.resolve("db"), 8 << 20).open(Backend.keyspaces())) {
            for (Keyspace ks : ConceptStore.keyspaces()) {
                saved.put(ks, records(kv, ks, uploadA, uploadC));
            }
        }
        try (TestServer server = TestServer.start(data, Map.of())) {
            // a replaced by a plain PUT and c deleted: the janitor deletes both uploads' records
            HttpResponse<String> plain = server.send("PUT", "/CodeSystem/a", "{\"resourceType\":\"CodeSystem\","
                    + "\"id\":\"a\",\"url\":\"http://example.org/cs/a\",\"status\":\"active\",\"content\":"
                    + "\"complete\",\"concept\":[{\"code\":\"P\"}]}");
            assertEquals(200, plain.statusCode(), plain.body());
            int deleted = server.send("DELETE", "/CodeSystem/c", null).statusCode();
            assertTrue(deleted == 200 || deleted == 204, "DELETE: " + deleted);
            awaitUploads(server.server.store().kv(), Map::isEmpty, "the janitor's deletions");
        }
        // as if the server had been killed before the janitor deleted them: the records are back, named by b only
        try (KvStore kv = new RocksDbEngine(data.resolve("db"), 8 << 20).open(Backend.keyspaces())) {
            KvBatch batch = new KvBatch();
            saved.forEach((ks, list) -> list.forEach(kvPair -> batch.put(ks, kvPair[0], kvPair[1])));
            kv.write(batch, true);
            assertEquals(2, perUpload(kv, ConceptStore.CONCEPTS).size());
        }
        try (TestServer server = TestServer.start(data, Map.of())) {
            KvStore kv = server.server.store().kv();
            awaitUploads(kv, m -> !m.containsKey(uploadC), "c's upload swept");
            assertEquals(Map.of(uploadA, 30L), perUpload(kv, ConceptStore.CONCEPTS), "b's (shared) upload stays");
            assertEquals(saved.get(INDEX).stream().filter(r -> hex(r[0]).equals(uploadA)).count(),
                    perUploadKeys(kv, INDEX, uploadA), "and its whole index");
            assertAnswers(server, "http://example.org/cs/b", 30);
        }
    }

    @Test
    void anUploadGoingOnIsLeftAloneAndOneWhoseMarkerIsOlderThanTheGraceIsSwept(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("data"), Map.of("terminology-sweep-grace-seconds", "3",
                "terminology-sweep-interval-minutes", "0"))) {
            var terminology = server.server.search().terminology();
            // an upload that streams for about 5 s, longer than the grace period (3 s; its writer touches its marker
            // every second): sweeps meanwhile leave it alone
            int concepts = 60;
            InputStream slow = new java.io.FilterInputStream(CodeSystemUploadTest.generated(concepts,
                    "p".repeat(400))) {
                @Override
                public int read(byte[] b, int off, int len) throws java.io.IOException {
                    try {
                        Thread.sleep(100); // each read gives one concept
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException();
                    }
                    return super.read(b, off, len);
                }
            };
            CompletableFuture<HttpResponse<String>> going = server.http.sendAsync(HttpRequest.newBuilder(
                    URI.create(server.base + "/CodeSystem/slow/$upload")).header("Content-Type",
                    "application/fhir+json").POST(HttpRequest.BodyPublishers.ofInputStream(() -> slow)).build(),
                    HttpResponse.BodyHandlers.ofString());
            int sweeps = 0;
            while (!going.isDone()) {
                assertEquals(List.of(), terminology.sweepUploadsNow(), "an upload going on is not swept");
                sweeps++;
                Thread.sleep(250);
            }
            HttpResponse<String> done = going.get();
            assertEquals(201, done.statusCode(), done.body());
            assertTrue(sweeps >= 10, "swept " + sweeps + " times while it went on");
            assertAnswers(server, CodeSystemUploadTest.URL, concepts, "U7", CodeSystemUploadTest.display(7));

            // records written as an upload writes them, complete, whose CodeSystem was never committed (a server
            // killed between the last batch and the commit): left alone within the grace period, swept after it
            KvStore kv = server.server.store().kv();
            String orphan = ConceptStore.newUploadId();
            StreamedConcepts.read(new ByteArrayInputStream(codeSystem("http://example.org/cs/orphan", 20, "o")
                    .getBytes(StandardCharsets.UTF_8)), new ConceptStore(kv, kv).writer(orphan));
            long records = perUploadKeys(kv, ConceptStore.CONCEPTS, orphan) + perUploadKeys(kv, INDEX, orphan);
            assertEquals(List.of(), terminology.sweepUploadsNow());
            Thread.sleep(3_100);
            assertEquals(List.of(new UploadSweep.Swept(orphan, records)), terminology.sweepUploadsNow());
            assertEquals(0, perUploadKeys(kv, ConceptStore.CONCEPTS, orphan) + perUploadKeys(kv, INDEX, orphan));
            // older than the grace period, but named
            assertAnswers(server, CodeSystemUploadTest.URL, concepts, "U7", CodeSystemUploadTest.display(7));
        }
    }

    /** The storage engine's estimate of the keys it holds, as /metrics gives it. */
    private static long estimatedKeys(HttpClient http, String base) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^fhirbolt_storage_estimated_keys\\{[^}]*\\}"
                + " ([0-9.E+]+)").matcher(metrics);
        assertTrue(m.find(), metrics);
        return (long) Double.parseDouble(m.group(1));
    }

    /** $lookup of a code and $expand of the code system answer from its upload. */
    private static void assertAnswers(TestServer server, String url, int concepts) throws Exception {
        assertAnswers(server, url, concepts, "K7", "kept concept 7");
    }

    private static void assertAnswers(TestServer server, String url, int concepts, String code, String display)
            throws Exception {
        String system = URLEncoder.encode(url, StandardCharsets.UTF_8);
        HttpResponse<String> lookup = server.get("/CodeSystem/$lookup?system=" + system + "&code=" + code);
        assertEquals(200, lookup.statusCode(), lookup.body());
        assertTrue(lookup.body().contains(display), lookup.body());
        HttpResponse<String> expand = server.get("/ValueSet/$expand?url=" + URLEncoder.encode(url + "?fhir_vs",
                StandardCharsets.UTF_8) + "&count=3");
        assertEquals(200, expand.statusCode(), expand.body());
        assertTrue(expand.body().contains("\"total\":" + concepts), expand.body());
    }

    private static String uploadOf(String codeSystemJson) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"valueString\":\"([0-9a-f]{32})\"")
                .matcher(codeSystemJson);
        assertTrue(m.find(), codeSystemJson);
        return m.group(1);
    }

    /**
     * Waits (at most 30 s) until the uploads with records satisfy {@code done} (records per upload, concepts and
     * index together: a deletion takes the concepts first).
     */
    private static void awaitUploads(KvStore kv, Predicate<Map<String, Long>> done, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Map<String, Long> now = records(kv);
        while (!done.test(now)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 30 s for " + what + "; uploads now: " + now);
            }
            Thread.sleep(50);
            now = records(kv);
        }
    }

    private static Map<String, Long> records(KvStore kv) {
        Map<String, Long> all = perUpload(kv, ConceptStore.CONCEPTS);
        perUpload(kv, INDEX).forEach((id, n) -> all.merge(id, n, Long::sum));
        return all;
    }

    /** The number of records per upload id in a keyspace. */
    private static Map<String, Long> perUpload(KvStore kv, Keyspace ks) {
        Map<String, Long> out = new TreeMap<>();
        try (KvSnapshot s = kv.snapshot(); KvCursor c = s.cursor(ks)) {
            for (c.seekToFirst(); c.isValid(); c.next()) {
                out.merge(hex(c.key()), 1L, Long::sum);
            }
        }
        return out;
    }

    private static long perUploadKeys(KvStore kv, Keyspace ks, String upload) {
        return perUpload(kv, ks).getOrDefault(upload, 0L);
    }

    private static Map<Long, Long> countsOf(Map<String, Long> perUpload) {
        Map<Long, Long> out = new TreeMap<>();
        perUpload.values().forEach(n -> out.merge(n, 1L, Long::sum));
        return out;
    }

    private static List<byte[][]> records(KvStore kv, Keyspace ks, String... uploads) {
        List<String> wanted = List.of(uploads);
        List<byte[][]> out = new ArrayList<>();
        try (KvSnapshot s = kv.snapshot(); KvCursor c = s.cursor(ks)) {
            for (c.seekToFirst(); c.isValid(); c.next()) {
                if (wanted.contains(hex(c.key()))) {
                    out.add(new byte[][] {c.key(), c.value()});
                }
            }
        }
        return out;
    }

    private static String hex(byte[] key) {
        return HexFormat.of().formatHex(key, 0, 16);
    }
}
