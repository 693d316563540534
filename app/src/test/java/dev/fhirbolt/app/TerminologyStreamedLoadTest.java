package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fhirbolt terminology load} of a FHIR CodeSystem JSON file larger than the loader's whole heap: the CLI runs in
 * a forked JVM with {@value #HEAP}, so it can only succeed by streaming the file to the server as it reads it.
 */
class TerminologyStreamedLoadTest {

    static final String URL = "http://example.org/cs/streamed";
    static final int CONCEPTS = 100_000;
    static final String HEAP = "-Xmx24m";
    static final String PADDING = "x".repeat(240);

    /** code S0..Sn, each below S(i/10), flat with parent properties; displays padded so the file is ~30 MB. */
    static Path codeSystem(Path dir) throws Exception {
        Path file = dir.resolve("streamed.json");
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("{\"resourceType\":\"CodeSystem\",\"id\":\"ignored\",\"url\":\"" + URL + "\",\"version\":\"1\","
                    + "\"status\":\"active\",\"content\":\"complete\",\"hierarchyMeaning\":\"is-a\",\"property\":["
                    + "{\"code\":\"parent\",\"type\":\"code\"}],\"concept\":[");
            for (int i = 0; i < CONCEPTS; i++) {
                w.write((i == 0 ? "" : ",") + "{\"code\":\"S" + i + "\",\"display\":\""
                        + TerminologyLoadTest.WORDS[i % 7] + " " + TerminologyLoadTest.WORDS[13 + i / 7 % 7] + " " + i
                        + "\",\"definition\":\"" + PADDING + "\"");
                if (i > 0) {
                    w.write(",\"property\":[{\"code\":\"parent\",\"valueCode\":\"S" + i / 10 + "\"}]");
                }
                w.write("}");
            }
            w.write("],\"count\":" + CONCEPTS + "}");
        }
        return file;
    }

    @Test
    void aCodeSystemLargerThanTheLoadersHeapIsStreamedAndServedFromTheIndex(@TempDir Path dir) throws Exception {
        Path file = codeSystem(dir);
        assertTrue(Files.size(file) > 28_000_000, "the file must be larger than the loader's heap");
        try (TestServer server = TestServer.start()) {
            Path log = dir.resolve("cli.log");
            Process cli = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    HEAP, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "terminology", "load",
                    file.toString(), "--id", "streamed", "--server", server.base, "--no-progress"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean finished = cli.waitFor(120, TimeUnit.SECONDS);
            if (!finished) {
                cli.destroyForcibly().waitFor();
            }
            String out = Files.readString(log);
            assertTrue(finished, "the loader did not finish: " + out);
            assertEquals(0, cli.exitValue(), out);
            assertTrue(out.contains("loaded 100,000 concepts as CodeSystem/streamed"), out);
            String stored = server.get("/CodeSystem/streamed").body();
            assertTrue(stored.contains("\"content\":\"not-present\"") && stored.contains("concepts-upload")
                    && stored.contains("\"count\":100000"), "sent to $upload: " + stored);

            String vs = URLEncoder.encode(URL + "?fhir_vs", StandardCharsets.UTF_8);
            HttpResponse<String> r = server.get("/ValueSet/$expand?url=" + vs + "&filter=chronic%20kne&count=5");
            assertEquals(200, r.statusCode(), r.body());
            // "chronic" is i % 7 == 1, "knee" is i / 7 % 7 == 2: i = 7k + 1 with k % 7 == 2, k <= 14285
            assertTrue(r.body().contains("\"total\":2041"), r.body());
            assertEquals(5, r.body().split("\"code\":\"S").length - 1, r.body());
            HttpResponse<String> lookup = server.get("/CodeSystem/$lookup?system="
                    + URLEncoder.encode(URL, StandardCharsets.UTF_8) + "&code=S99999");
            assertEquals(200, lookup.statusCode(), lookup.body());
            assertTrue(lookup.body().contains("\"valueCode\":\"S9999\""), lookup.body());
            String subsumes = server.get("/CodeSystem/$subsumes?system=" + URLEncoder.encode(URL, StandardCharsets.UTF_8)
                    + "&codeA=S9&codeB=S99999").body();
            assertTrue(subsumes.contains("subsumes"), subsumes);
        }
    }

    @Test
    void aMalformedFileIsReportedWithItsPlaceAndStoresNothing(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.json");
        StringBuilder json = new StringBuilder("{\"resourceType\":\"CodeSystem\",\"url\":\"" + URL + "\","
                + "\"status\":\"active\",\"content\":\"complete\",\"concept\":[");
        for (int i = 0; i < 20_000; i++) { // more than the pipe holds: the server has started reading
            json.append("{\"code\":\"B").append(i).append("\"},\n");
        }
        Files.writeString(file, json.append("{\"code\":}]}"));
        try (TestServer server = TestServer.start()) {
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            java.io.PrintStream old = System.err;
            int code;
            try {
                System.setErr(new java.io.PrintStream(err, true));
                code = new picocli.CommandLine(new Main()).execute("terminology", "load", file.toString(),
                        "--server", server.base, "--no-progress");
            } finally {
                System.setErr(old);
            }
            assertEquals(1, code, err.toString());
            assertTrue(err.toString().contains("not valid JSON") && err.toString().contains("line 20001"),
                    err.toString());
            assertEquals(404, server.get("/CodeSystem/broken").statusCode());
        }
    }

    @Test
    void aRefusalOfTheServerOrNoServerAtAllIsAClearErrorAndStoresNothing(@TempDir Path dir) throws Exception {
        Path fragment = dir.resolve("fragment.json");
        Files.writeString(fragment, "{\"resourceType\":\"CodeSystem\",\"url\":\"" + URL + "\",\"status\":\"active\","
                + "\"content\":\"fragment\",\"concept\":[{\"code\":\"A\"}]}");
        Path csv = dir.resolve("nocode.csv");
        Files.writeString(csv, "display,definition\nAlpha,first\n");
        Path twice = dir.resolve("twice.csv");
        Files.writeString(twice, "code,display\nA,Alpha\nB,Beta\nA,Again\n");
        try (TestServer server = TestServer.start()) {
            Cli r = cli("terminology", "load", fragment.toString(), "--server", server.base, "--no-progress");
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains("the server refused") && r.err().contains("400")
                    && r.err().contains("'complete', not 'fragment'"), r.err());
            assertEquals(404, server.get("/CodeSystem/fragment").statusCode());

            r = cli("terminology", "load", csv.toString(), "--url", URL, "--server", server.base, "--no-progress");
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains("no 'code' column") && r.err().contains("nothing was stored"), r.err());

            r = cli("terminology", "load", twice.toString(), "--url", URL, "--server", server.base, "--no-progress");
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains("the code 'A' is defined twice"), r.err());
            assertEquals(404, server.get("/CodeSystem/twice").statusCode());
        }
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Cli r = cli("terminology", "load", twice.toString(), "--url", URL, "--server", "http://127.0.0.1:" + port,
                "--no-progress");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("could not send") && r.err().contains("127.0.0.1:" + port), r.err());
    }

    @Test
    void offlineTheFileGoesToTheUploadOperationOfTheDataDirectory(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("offline.csv");
        StringBuilder rows = new StringBuilder("code,display,parent\n");
        for (int i = 0; i < 2_000; i++) {
            rows.append("O").append(i).append(",offline concept ").append(i).append(',')
                    .append(i == 0 ? "" : "O" + i / 10).append('\n');
        }
        Files.writeString(csv, rows);
        Path data = dir.resolve("data");
        Cli r = cli("terminology", "load", csv.toString(), "--url", URL, "--data-dir", data.toString(),
                "--no-progress");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("loaded 2,000 concepts as CodeSystem/offline"), r.err());
        try (TestServer server = TestServer.start(data, java.util.Map.of())) {
            String stored = server.get("/CodeSystem/offline").body();
            assertTrue(stored.contains("\"content\":\"not-present\"") && stored.contains("concepts-upload"), stored);
            String below = server.get("/ValueSet/$expand?url=" + URLEncoder.encode(URL + "?fhir_vs=isa/O19",
                    StandardCharsets.UTF_8) + "&count=3").body();
            assertTrue(below.contains("\"total\":11"), below); // O19, O190-199
        }
    }

    record Cli(int code, String err) {
    }

    private static Cli cli(String... args) {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.err;
        try {
            System.setErr(new java.io.PrintStream(err, true));
            int code = new picocli.CommandLine(new Main()).execute(args);
            return new Cli(code, err.toString());
        } finally {
            System.setErr(old);
        }
    }
}
