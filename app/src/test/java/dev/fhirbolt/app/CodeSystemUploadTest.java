package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.terminology.ConceptStore;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code CodeSystem/[id]/$upload}: a code system streamed into the server, its concepts written to the terminology
 * keyspace as they arrive, then served from the index built over that keyspace.
 */
class CodeSystemUploadTest {

    static final String URL = "http://example.org/cs/uploaded";
    static final String HEAP = "-Xmx96m";
    static final int CONCEPTS = 120_000;
    static final String DEFINITION = "d".repeat(850);

    /**
     * A CodeSystem generated as it is read: concepts U0..Un, each below U(i/10) (flat, with parent properties),
     * except that U1's first ten children are nested inside it; every definition is 850 characters, so the
     * document (120,000 concepts) is about 110 MB, more than the server's whole heap, and the concepts are more than
     * a heap index of them would fit in it.
     */
    static InputStream generated(int concepts, String definition) {
        return new InputStream() {
            private byte[] chunk = ("{\"resourceType\":\"CodeSystem\",\"url\":\"" + URL + "\",\"version\":\"1\","
                    + "\"status\":\"active\",\"content\":\"complete\",\"hierarchyMeaning\":\"is-a\",\"property\":["
                    + "{\"code\":\"parent\",\"type\":\"code\"}],\"concept\":[").getBytes(StandardCharsets.UTF_8);
            private int pos;
            private int next;
            private boolean done;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                while (pos == chunk.length) {
                    if (done) {
                        return -1;
                    }
                    chunk = nextChunk().getBytes(StandardCharsets.UTF_8);
                    pos = 0;
                }
                int n = Math.min(len, chunk.length - pos);
                System.arraycopy(chunk, pos, b, off, n);
                pos += n;
                return n;
            }

            private String nextChunk() {
                if (next == concepts) {
                    done = true;
                    return "]}";
                }
                int i = next++;
                StringBuilder s = new StringBuilder(i == 0 ? "" : ",");
                s.append(concept(i, definition));
                if (i == 1) { // U10..U19 nested in U1
                    s.setLength(s.length() - 1);
                    s.append(",\"concept\":[");
                    for (int c = 10; c < 20; c++) {
                        s.append(c == 10 ? "" : ",").append("{\"code\":\"U").append(c).append("\",\"display\":\"")
                                .append(display(c)).append("\"}");
                    }
                    s.append("]}");
                }
                if (next == 10) {
                    next = 20; // the nested ones were written inside U1
                }
                return s.toString();
            }
        };
    }

    static String concept(int i, String definition) {
        return "{\"code\":\"U" + i + "\",\"display\":\"" + display(i) + "\",\"definition\":\"" + definition
                + i + "\"" + (i < 2 ? "" : ",\"property\":[{\"code\":\"parent\",\"valueCode\":\"U" + i / 10
                + "\"}]") + "}";
    }

    static String display(int i) {
        return TerminologyLoadTest.WORDS[i % 7] + " " + TerminologyLoadTest.WORDS[13 + i / 7 % 7] + " " + i;
    }

    static HttpResponse<String> upload(HttpClient http, String base, String id, InputStream body)
            throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/CodeSystem/" + id + "/$upload"))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCodeSystemLargerThanTheServersHeapIsStreamedIntoItsKeyspaceAndServedFromTheIndex(@TempDir Path dir)
            throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = dir.resolve("server.log");
        Process server = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), HEAP, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve",
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--data-dir", dir.resolve("data").toString(),
                "--security", "off", "--demo-setup", "false"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String base = "http://127.0.0.1:" + port;
            HttpClient http = HttpClient.newHttpClient();
            awaitHealth(http, base, server, log);
            long[] sent = new long[1];
            InputStream counted = new java.io.FilterInputStream(generated(CONCEPTS, DEFINITION)) {
                @Override
                public int read(byte[] b, int off, int len) throws java.io.IOException {
                    int n = super.read(b, off, len);
                    sent[0] += Math.max(0, n);
                    return n;
                }
            };
            long started = System.nanoTime();
            HttpResponse<String> r = upload(http, base, "uploaded", counted);
            System.out.printf("uploaded %,d bytes in %.1f s%n", sent[0], (System.nanoTime() - started) / 1e9);
            assertEquals(201, r.statusCode(), r.body() + "\n" + tail(log));
            assertTrue(sent[0] > 100_000_000L, "the body (" + sent[0] + " bytes) must be larger than the heap");
            assertTrue(r.body().contains("\"content\":\"not-present\"") && r.body().contains("\"count\":" + CONCEPTS),
                    r.body());

            String vs = URLEncoder.encode(URL + "?fhir_vs", StandardCharsets.UTF_8);
            started = System.nanoTime();
            HttpResponse<String> expand = get(http, base, "/ValueSet/$expand?url=" + vs
                    + "&filter=chronic%20kne&count=5");
            assertEquals(200, expand.statusCode(), expand.body());
            // "chronic" is i % 7 == 1, "knee" is i / 7 % 7 == 1
            System.out.printf("first $expand (index built from the keyspace) in %.1f s%n",
                    (System.nanoTime() - started) / 1e9);
            long chronicKnee = java.util.stream.IntStream.range(0, CONCEPTS).filter(i -> i % 7 == 1 && i / 7 % 7 == 1)
                    .count();
            assertTrue(expand.body().contains("\"total\":" + chronicKnee), expand.body());
            // is-a with a page: U3, U30-39, U300-399, U3000-3999, U30000-39999
            HttpResponse<String> below = get(http, base, "/ValueSet/$expand?url=" + URLEncoder.encode(URL
                    + "?fhir_vs=isa/U3", StandardCharsets.UTF_8) + "&count=5&offset=11105");
            assertEquals(200, below.statusCode(), below.body());
            assertTrue(below.body().contains("\"total\":11111") && below.body().contains("\"offset\":11105"),
                    below.body());
            assertEquals(5, below.body().split("\"code\":\"U3").length - 1, below.body());
            HttpResponse<String> acute = get(http, base, "/ValueSet/$expand?url=" + vs + "&count=3"
                    + "&filter=" + URLEncoder.encode(TerminologyLoadTest.WORDS[0], StandardCharsets.UTF_8));
            assertTrue(acute.body().contains("\"total\":" + (CONCEPTS + 6) / 7), acute.body());
            String system = URLEncoder.encode(URL, StandardCharsets.UTF_8);
            HttpResponse<String> lookup = get(http, base, "/CodeSystem/$lookup?system=" + system + "&code=U39999");
            assertEquals(200, lookup.statusCode(), lookup.body());
            assertTrue(lookup.body().contains("\"valueCode\":\"U3999\""), lookup.body()); // its parent
            assertTrue(lookup.body().contains(DEFINITION + "39999"), "the definition is read from the keyspace");
            String nested = get(http, base, "/CodeSystem/$subsumes?system=" + system + "&codeA=U1&codeB=U15").body();
            assertTrue(nested.contains("\"valueCode\":\"subsumes\""), nested);
            String deep = get(http, base, "/CodeSystem/$subsumes?system=" + system + "&codeA=U3&codeB=U39999")
                    .body();
            assertTrue(deep.contains("\"valueCode\":\"subsumes\""), deep);
            String valid = get(http, base, "/CodeSystem/$validate-code?url=" + system + "&code=U12345").body();
            assertTrue(valid.contains("\"valueBoolean\":true"), valid);
            String unknown = get(http, base, "/CodeSystem/$validate-code?url=" + system + "&code=X1").body();
            assertTrue(unknown.contains("\"valueBoolean\":false"), unknown);

            // a plain DELETE of the CodeSystem removes its concepts and index (after the server stops: none left)
            int deleted = http.send(HttpRequest.newBuilder(URI.create(base + "/CodeSystem/uploaded")).DELETE()
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
            assertTrue(deleted == 200 || deleted == 204, "DELETE: " + deleted);
            assertEquals(404, get(http, base, "/CodeSystem/$validate-code?url=" + system + "&code=U12345")
                    .statusCode());
        } finally {
            server.destroy();
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
        }
        ServerConfig config = ConfigLoader.load(Optional.empty(), Map.of(), Map.of("data-dir",
                dir.resolve("data").toString()));
        try (Backend backend = Backend.open(config, dev.fhirbolt.storage.rocksdb.RocksDbEngine.Mode.SERVING)) {
            assertEquals(0, keys(backend, ConceptStore.CONCEPTS) + keys(backend, INDEX), tail(log));
        }
    }

    @Test
    void aMalformedOrTooLargeUploadIsRefusedAndStoresNothing(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        try (TestServer server = TestServer.start(data, Map.of("terminology-upload-max-bytes", "8000000"))) {
            // malformed JSON after thousands of concepts (several batches were written): 400 with the place
            StringBuilder broken = new StringBuilder("{\"resourceType\":\"CodeSystem\",\"url\":\"" + URL + "\","
                    + "\"status\":\"active\",\"content\":\"complete\",\"concept\":[");
            for (int i = 0; i < 5_000; i++) {
                broken.append(concept(i, "x".repeat(1100))).append(",\n");
            }
            broken.append("{\"code\":}]}");
            HttpResponse<String> r = upload(server.http, server.base, "broken",
                    new java.io.ByteArrayInputStream(broken.toString().getBytes(StandardCharsets.UTF_8)));
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(r.body().contains("OperationOutcome") && r.body().contains("line 5001"), r.body());

            // larger than terminology-upload-max-bytes: 413
            r = upload(server.http, server.base, "large", generated(20_000, "y".repeat(500)));
            assertEquals(413, r.statusCode(), r.body());
            assertTrue(r.body().contains("terminology-upload-max-bytes"), r.body());

            // a concept without a code, a code twice, an unknown element, not a CodeSystem, XML: 4xx
            String head = "{\"resourceType\":\"CodeSystem\",\"url\":\"" + URL + "\",\"status\":\"active\","
                    + "\"content\":\"complete\",\"concept\":[";
            for (String bad : List.of(head + "{\"code\":\"A\"},{\"display\":\"no code\"}]}",
                    head + "{\"code\":\"A\"},{\"code\":\"B\",\"concept\":[{\"code\":\"A\"}]}]}",
                    head + "{\"code\":\"A\",\"colour\":\"red\"}]}",
                    head + "{\"code\":\"A\",\"property\":[{\"code\":\"n\",\"valueInteger\":\"one\"}]}]}",
                    "{\"resourceType\":\"ValueSet\",\"concept\":[{\"code\":\"A\"}]}",
                    head + "]}")) {
                r = upload(server.http, server.base, "bad",
                        new java.io.ByteArrayInputStream(bad.getBytes(StandardCharsets.UTF_8)));
                assertEquals(400, r.statusCode(), bad + " -> " + r.body());
                assertTrue(r.body().contains("OperationOutcome"), r.body());
            }
            // the CodeSystem part is refused by the write's own checks (strict parsing): 400, nothing kept
            r = upload(server.http, server.base, "bad", new java.io.ByteArrayInputStream((head.replace(
                    "\"status\":\"active\"", "\"status\":\"sleepy\"") + "{\"code\":\"A\"}]}")
                    .getBytes(StandardCharsets.UTF_8)));
            assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, r.body());
            r = server.send("POST", "/CodeSystem/bad/$upload", "<CodeSystem/>", "Content-Type",
                    "application/fhir+xml");
            assertEquals(415, r.statusCode(), r.body());
            for (String id : List.of("broken", "large", "bad")) {
                assertEquals(404, server.get("/CodeSystem/" + id).statusCode());
            }

            // a good one, then replaced: only the second upload's concepts remain
            for (int round = 0; round < 2; round++) {
                r = upload(server.http, server.base, "small", generated(300, "z"));
                assertTrue(r.statusCode() == 201 || r.statusCode() == 200, r.body());
            }
            String expand = server.get("/ValueSet/$expand?url=" + URLEncoder.encode(URL + "?fhir_vs",
                    StandardCharsets.UTF_8) + "&count=1").body();
            assertTrue(expand.contains("\"total\":300"), expand);
            // a second code system, kept; then "small" replaced by a plain PUT with two concepts of its own
            r = upload(server.http, server.base, "kept", generated(120, "k"));
            assertEquals(201, r.statusCode(), r.body());
            r = server.send("PUT", "/CodeSystem/small", "{\"resourceType\":\"CodeSystem\",\"id\":\"small\","
                    + "\"url\":\"http://example.org/cs/plain\",\"status\":\"active\",\"content\":\"complete\","
                    + "\"concept\":[{\"code\":\"A\"},{\"code\":\"B\"}]}", "Content-Type", "application/fhir+json");
            assertEquals(200, r.statusCode(), r.body());
            expand = server.get("/ValueSet/$expand?url=" + URLEncoder.encode("http://example.org/cs/plain?fhir_vs",
                    StandardCharsets.UTF_8)).body();
            assertTrue(expand.contains("\"total\":2"), expand);
        }
        ServerConfig config = ConfigLoader.load(Optional.empty(), Map.of(), Map.of("data-dir", data.toString()));
        try (Backend backend = Backend.open(config, dev.fhirbolt.storage.rocksdb.RocksDbEngine.Mode.SERVING)) {
            assertEquals(120, keys(backend, ConceptStore.CONCEPTS), "only the kept upload's concepts are left");
            assertEquals(1, uploads(backend), "only the kept upload's index is left");
        }
    }

    static final dev.fhirbolt.storage.Keyspace INDEX = new dev.fhirbolt.storage.Keyspace("terminology-index");

    /** The number of uploads with index records (distinct 16-byte prefixes). */
    private static long uploads(Backend backend) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        try (KvSnapshot s = backend.kv().snapshot(); KvCursor c = s.cursor(INDEX)) {
            for (c.seekToFirst(); c.isValid(); c.next()) {
                ids.add(java.util.HexFormat.of().formatHex(c.key(), 0, 16));
            }
        }
        return ids.size();
    }

    private static long keys(Backend backend, dev.fhirbolt.storage.Keyspace keyspace) {
        long n = 0;
        try (KvSnapshot s = backend.kv().snapshot(); KvCursor c = s.cursor(keyspace)) {
            for (c.seekToFirst(); c.isValid(); c.next()) {
                n++;
            }
        }
        return n;
    }

    static HttpResponse<String> get(HttpClient http, String base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static void awaitHealth(HttpClient http, String base, Process server, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("the server stopped: " + tail(log));
            }
            try {
                if (get(http, base, "/health").statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the server did not start: " + tail(log));
    }

    static String tail(Path log) throws java.io.IOException {
        String s = Files.readString(log);
        return s.substring(Math.max(0, s.length() - 4000));
    }
}
