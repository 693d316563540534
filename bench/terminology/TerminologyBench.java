// Terminology benchmark (run by bench/terminology.sh with the JDK's source launcher; no dependencies).
// Starts the server jar on a free port and an empty data dir, loads a generated code system with
// `fhirbolt terminology load`, then times each operation from one client (HTTP/1.1, keep-alive) after warm-up.
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;

public class TerminologyBench {

    static final String URL = "http://example.org/cs/bench";
    static final String[] WORDS = {"acute", "chronic", "left", "right", "upper", "lower", "fracture", "infection",
        "pain", "swelling", "of", "the", "arm", "leg", "knee", "hip", "lung", "heart", "liver", "kidney"};

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int concepts = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        Path data = Files.createTempDirectory(Path.of("bench/target"), "terminology-bench");
        Path csv = data.resolve("bench.csv");
        try (BufferedWriter w = Files.newBufferedWriter(csv)) {
            w.write("code,display,parent\n");
            for (int i = 0; i < concepts; i++) {
                w.write("C" + i + "," + WORDS[i % 7] + " " + WORDS[7 + i / 7 % 6] + " " + WORDS[13 + i / 42 % 7]
                        + " " + i + "," + (i == 0 ? "" : "C" + i / 10) + "\n");
            }
        }
        int port = BenchServer.freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xms64m", "-Xmx1g", "-XX:+UseG1GC", "-jar",
                jar.toString(), "serve", "--host", "127.0.0.1", "--port", Integer.toString(port), "--data-dir",
                data.resolve("db").toString(), "--security", "off", "--demo-setup", "false"));
        pb.environment().put("FHIRBOLT_AUDIT", "off");
        pb.redirectErrorStream(true).redirectOutput(data.resolve("server.log").toFile());
        Process server = pb.start();
        try {
            String base = "http://127.0.0.1:" + port;
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            BenchServer.awaitHealth(http, base);
            long start = System.nanoTime();
            Process load = new ProcessBuilder(List.of(java, "-jar", jar.toString(), "terminology", "load",
                    csv.toString(), "--url", URL, "--server", base, "--no-progress")).inheritIO().start();
            if (load.waitFor() != 0) {
                throw new IllegalStateException("the load failed");
            }
            double loadSeconds = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            get(http, base + "/CodeSystem/$validate-code?url=" + q(URL) + "&code=C1");
            double firstSeconds = (System.nanoTime() - start) / 1e9;
            String vs = q(URL + "?fhir_vs");
            String[] filters = {"chronic kne", "acute", "left hip 12", "fract", "infection lung", "upper arm 4"};
            System.out.printf("%,d concepts: loaded with `fhirbolt terminology load --server` in %.1f s; first"
                    + " request after the load (catalog, parse, index) %.2f s%n%n", concepts, loadSeconds,
                    firstSeconds);
            System.out.println("| operation | p50 ms | p90 ms | p99 ms | server CPU µs per call |");
            System.out.println("|---|---|---|---|---|");
            time(server, http, n, "$expand, text filter over the whole system, count=20",
                    i -> base + "/ValueSet/$expand?url=" + vs + "&filter=" + q(filters[i % filters.length])
                            + "&count=20");
            time(server, http, n, "$expand, is-a filter (111 codes), count=20",
                    i -> base + "/ValueSet/$expand?url=" + q(URL + "?fhir_vs=isa/C" + (10 + i % 90)) + "&count=20");
            time(server, http, n, "CodeSystem/$validate-code",
                    i -> base + "/CodeSystem/$validate-code?url=" + q(URL) + "&code=C" + (i * 97 % concepts));
            time(server, http, n, "ValueSet/$validate-code (implicit value set)",
                    i -> base + "/ValueSet/$validate-code?url=" + vs + "&system=" + q(URL) + "&code=C"
                            + (i * 97 % concepts));
            time(server, http, n, "CodeSystem/$lookup",
                    i -> base + "/CodeSystem/$lookup?system=" + q(URL) + "&code=C" + (i * 97 % concepts));
            time(server, http, n, "ValueSet/$validate-code, core administrative-gender",
                    i -> base + "/ValueSet/$validate-code?url=" + q("http://hl7.org/fhir/ValueSet/administrative-gender")
                            + "&system=" + q("http://hl7.org/fhir/administrative-gender") + "&code="
                            + (i % 2 == 0 ? "female" : "male"));
        } finally {
            server.destroy();
            server.waitFor();
            BenchServer.deleteTree(data);
        }
    }

    static void time(Process server, HttpClient http, int n, String name, IntFunction<String> url)
            throws Exception {
        for (int i = 0; i < Math.max(200, n / 2); i++) {
            get(http, url.apply(i));
        }
        List<Double> ms = new ArrayList<>();
        long cpu = cpuNanos(server);
        for (int i = 0; i < n; i++) {
            String u = url.apply(i + 7);
            long t = System.nanoTime();
            get(http, u);
            ms.add((System.nanoTime() - t) / 1e6);
        }
        double cpuMicros = (cpuNanos(server) - cpu) / 1e3 / n;
        Collections.sort(ms);
        System.out.printf("| %s | %.2f | %.2f | %.2f | %.0f |%n", name, ms.get(ms.size() / 2),
                ms.get((int) (ms.size() * 0.9)), ms.get((int) (ms.size() * 0.99)), cpuMicros);
    }

    /** The server process's CPU time so far (user + system, all threads: GC and compilation included). */
    static long cpuNanos(Process server) {
        return server.toHandle().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String get(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }
}
