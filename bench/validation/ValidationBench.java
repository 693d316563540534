// Validation benchmark (run by bench/validation.sh with the JDK's source launcher; no dependencies).
// For each configuration it starts the server jar on a free port and an empty data dir, then:
//  - ingest: loads the repo's Synthea fixtures (hospital and practitioner bundles once, then the two patient
//    transaction bundles `rounds` times each, `clients` at a time) and reports resources/s of the patient phase;
//  - $validate: POSTs the Synthea Patient to Patient/$validate (warm-up, then timed) and reports p50/p90. The
//    warm-up is `warmup` calls (default 8,000): HAPI's validator runs thousands of small methods per resource and the
//    JIT needs several thousand validations before p50 settles (200 left it about twice as slow; on a quiet machine
//    p50 kept falling until about 8,000, so 2,000 measured a half-compiled validator). stderr shows each window.
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class ValidationBench {

    /** Calls per line of the warm-up report on stderr. */
    static final int WINDOW = 500;

    record Config(String name, String validation, String integrity) {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path fixtures = Path.of(args[1]);
        int rounds = Integer.parseInt(args[2]);
        int clients = Integer.parseInt(args[3]);
        int validations = Integer.parseInt(args[4]);
        int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 8_000;
        List<Config> all = List.of(
                new Config("validation=off, referential-integrity=off", "off", "off"),
                new Config("validation=base, referential-integrity=off", "base", "off"),
                new Config("validation=base, referential-integrity=on (defaults)", "base", "on"));
        // BENCH_DEFAULTS_ONLY=1: only the last configuration (the defaults), e.g. to profile $validate
        List<Config> configs = "1".equals(System.getenv("BENCH_DEFAULTS_ONLY")) ? all.subList(2, 3) : all;
        String hospital = Files.readString(fixtures.resolve("hospitalInformation1735689600000.json"));
        String practitioners = Files.readString(fixtures.resolve("practitionerInformation1735689600000.json"));
        List<String> patients = new ArrayList<>();
        try (var files = Files.list(fixtures)) {
            for (Path p : files.sorted().toList()) {
                String name = p.getFileName().toString();
                if (!name.startsWith("hospital") && !name.startsWith("practitioner")) {
                    patients.add(Files.readString(p));
                }
            }
        }
        String patient = patientOf(patients.get(0));
        System.out.println("| configuration | ingest, resources/s | $validate Patient p50 ms | p90 ms "
                + "| server CPU / $validate ms | load average |");
        System.out.println("|---|---|---|---|---|---|");
        for (Config c : configs) {
            Path data = Files.createTempDirectory(Path.of("bench/target"), "validation-bench");
            int port = BenchServer.freePort();
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xms64m", "-Xmx1g", "-XX:+UseG1GC"));
            String extra = System.getenv("BENCH_SERVER_JAVA_OPTS"); // e.g. a JFR recording of the server
            if (extra != null && !extra.isBlank()) {
                command.addAll(List.of(extra.trim().split("\\s+")));
            }
            command.addAll(List.of("-jar", jar.toString(), "serve",
                    "--host", "127.0.0.1", "--port", Integer.toString(port), "--data-dir", data.toString(),
                    "--security", "off", "--demo-setup", "false", "--validation", c.validation()));
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().put("FHIRBOLT_REFERENTIAL_INTEGRITY", c.integrity());
            pb.environment().put("FHIRBOLT_AUDIT", "off");
            pb.redirectErrorStream(true).redirectOutput(data.resolve("server.log").toFile());
            Process server = pb.start();
            try {
                String base = "http://127.0.0.1:" + port;
                HttpClient http = HttpClient.newHttpClient();
                BenchServer.awaitHealth(http, base);
                post(http, base + "/", hospital);
                post(http, base + "/", practitioners);
                // warm-up round, not timed
                for (String bundle : patients) {
                    post(http, base + "/", bundle);
                }
                ExecutorService pool = Executors.newFixedThreadPool(clients);
                List<Future<Integer>> done = new ArrayList<>();
                long start = System.nanoTime();
                for (int r = 0; r < rounds; r++) {
                    for (String bundle : patients) {
                        done.add(pool.submit(() -> post(http, base + "/", bundle)));
                    }
                }
                long resources = 0;
                for (Future<Integer> f : done) {
                    resources += f.get();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                pool.shutdown();
                List<Double> ms = new ArrayList<>();
                List<Double> window = new ArrayList<>();
                double cpuAtStart = 0;
                double cpuAtWindow = cpuSeconds(server);
                for (int i = 0; i < warmup + validations; i++) {
                    if (i == warmup) {
                        cpuAtStart = cpuSeconds(server);
                    }
                    long t = System.nanoTime();
                    HttpResponse<String> v = send(http, base + "/Patient/$validate", patient);
                    if (v.statusCode() != 200) {
                        throw new IllegalStateException("$validate: " + v.statusCode() + " " + v.body());
                    }
                    double took = (System.nanoTime() - t) / 1e6;
                    if (i >= warmup) {
                        ms.add(took);
                    }
                    window.add(took);
                    if (window.size() == WINDOW || i == warmup + validations - 1) {
                        // how the warm-up goes: p50 and server CPU per call of each successive window (stderr)
                        double cpu = cpuSeconds(server);
                        Collections.sort(window);
                        System.err.printf("  %s: $validate calls %d-%d: p50 %.2f ms, server CPU %.2f ms/call, load %s%n",
                                c.validation() + "/" + c.integrity(), i + 2 - window.size(), i + 1,
                                window.get(window.size() / 2), (cpu - cpuAtWindow) * 1000 / window.size(),
                                loadAverage());
                        cpuAtWindow = cpu;
                        window.clear();
                    }
                }
                double cpuPerCall = (cpuSeconds(server) - cpuAtStart) * 1000 / validations;
                Collections.sort(ms);
                System.out.printf("| %s | %,.0f | %.2f | %.2f | %.2f | %s |%n", c.name(), resources / seconds,
                        ms.get(ms.size() / 2), ms.get((int) (ms.size() * 0.9)), cpuPerCall, loadAverage());
            } finally {
                server.destroy();
                server.waitFor();
                BenchServer.deleteTree(data);
            }
        }
    }

    /** The server process's CPU time so far (user + system), from the operating system. */
    static double cpuSeconds(Process server) {
        return server.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    static String patientOf(String bundle) {
        Matcher m = Pattern.compile("\"resource\":(\\{\"resourceType\":\"Patient\".*?),\"request\":").matcher(bundle);
        if (!m.find()) {
            throw new IllegalStateException("no Patient in the bundle");
        }
        return m.group(1);
    }

    static int post(HttpClient http, String url, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = send(http, url, body);
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + ": " + r.statusCode() + " " + r.body().substring(0,
                    Math.min(500, r.body().length())));
        }
        int n = 0;
        Matcher m = Pattern.compile("\"status\":\"2").matcher(r.body());
        while (m.find()) {
            n++;
        }
        return n;
    }

    static HttpResponse<String> send(HttpClient http, String url, String body) throws IOException,
            InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
