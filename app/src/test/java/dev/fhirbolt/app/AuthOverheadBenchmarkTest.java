package dev.fhirbolt.app;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What SMART enforcement costs: the same reads and searches against a server in development mode and against one
 * with security=smart (a patient-restricted token, and a system/*.rs token), in process, over HTTP.
 * Opt-in: {@code -Dfhirbolt.authBench=true} (optionally {@code -Dfhirbolt.authBench.seconds=10},
 * {@code -Dfhirbolt.authBench.clients=8}).
 */
@EnabledIfSystemProperty(named = "fhirbolt.authBench", matches = "true")
class AuthOverheadBenchmarkTest {

    static final int PATIENTS = 50;
    static final int OBS_PER_PATIENT = 20;

    @Test
    void readAndSearchWithAndWithoutTokens() throws Exception {
        int seconds = Integer.getInteger("fhirbolt.authBench.seconds", 10);
        int clients = Integer.getInteger("fhirbolt.authBench.clients", 8);
        List<String> lines = new ArrayList<>();
        double devRead;
        double devSearch;
        try (FhirboltServer dev = start("off")) {
            Smart s = new Smart("http://localhost:" + dev.port(), "bench-admin-pw");
            seed(s, null);
            devRead = run(s, null, "/Observation/obs-1-", true, seconds, clients);
            devSearch = run(s, null, "/Observation?subject=Patient/bench-1", false, seconds, clients);
            lines.add(String.format("dev mode          read %8.0f/s   search %8.0f/s", devRead, devSearch));
        }
        try (FhirboltServer smartServer = start("smart")) {
            Smart s = new Smart("http://localhost:" + smartServer.port(), "bench-admin-pw");
            s.registerPublicApp("bench-app");
            KeyPair key = s.registerBackend("bench-backend", "system/*.cruds");
            String system = s.backendToken("bench-backend", key, "system/*.cruds");
            seed(s, system);
            String patient = s.userToken("bench-app", "patient1", "patient1-demo", "launch/patient patient/*.rs",
                    null).get("access_token").asText();
            String systemRs = s.backendToken("bench-backend", key, "system/*.rs");
            double sysRead = run(s, systemRs, "/Observation/obs-1-", true, seconds, clients);
            double sysSearch = run(s, systemRs, "/Observation?subject=Patient/bench-1", false, seconds, clients);
            lines.add(String.format("system/*.rs token read %8.0f/s (%+.1f%%)   search %8.0f/s (%+.1f%%)", sysRead,
                    pct(sysRead, devRead), sysSearch, pct(sysSearch, devSearch)));
            // the demo patient's own data: same shapes as bench-1
            double ptRead = run(s, patient, "/Observation/obs-p-", true, seconds, clients);
            double ptSearch = run(s, patient, "/Observation?subject=Patient/demo-patient-1", false, seconds, clients);
            lines.add(String.format("patient token     read %8.0f/s (%+.1f%%)   search %8.0f/s (%+.1f%%)", ptRead,
                    pct(ptRead, devRead), ptSearch, pct(ptSearch, devSearch)));
        }
        System.out.println("=== SMART enforcement overhead (" + clients + " clients, " + seconds + " s each, "
                + Runtime.getRuntime().availableProcessors() + " CPUs shared with the load generator) ===");
        lines.forEach(System.out::println);
    }

    private static double pct(double x, double base) {
        return (x - base) * 100.0 / base;
    }

    private static FhirboltServer start(String security) throws Exception {
        Map<String, String> flags = Map.of("port", "0", "data-dir",
                Files.createTempDirectory("fhirbolt-authbench").toString(), "security", security, "admin-password",
                "bench-admin-pw", "demo-setup", "true", "audit", "on");
        return FhirboltServer.start(ConfigLoader.load(Optional.empty(), Map.of(), flags));
    }

    private static void seed(Smart s, String token) throws Exception {
        for (int p = 1; p <= PATIENTS; p++) {
            put(s, token, "Patient", "bench-" + p, "\"name\":[{\"family\":\"Bench\"}]");
            for (int o = 0; o < OBS_PER_PATIENT; o++) {
                put(s, token, "Observation", "obs-" + p + "-" + o, obs("bench-" + p));
            }
        }
        for (int o = 0; o < OBS_PER_PATIENT; o++) {
            put(s, token, "Observation", "obs-p-" + o, obs("demo-patient-1"));
        }
    }

    private static String obs(String patient) {
        return "\"status\":\"final\",\"code\":{\"text\":\"x\"},\"subject\":{\"reference\":\"Patient/" + patient + "\"}";
    }

    private static void put(Smart s, String token, String type, String id, String json) throws Exception {
        Smart.Res r = s.fhir(token, "PUT", "/" + type + "/" + id, "{\"resourceType\":\"" + type + "\",\"id\":\"" + id
                + "\"," + json + "}");
        if (r.status() >= 300) {
            throw new AssertionError(r.status() + " " + r.body());
        }
    }

    /** Requests per second over {@code seconds} with {@code clients} threads (after a 2 s warm-up). */
    private static double run(Smart s, String token, String path, boolean randomId, int seconds, int clients)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long warmupEnd = System.nanoTime() + 2_000_000_000L;
        long end = warmupEnd + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            threads.add(Thread.ofPlatform().start(() -> {
                while (System.nanoTime() < end) {
                    String p = randomId ? path + ThreadLocalRandom.current().nextInt(OBS_PER_PATIENT) : path;
                    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.base + p))
                            .header("Accept", "application/fhir+json");
                    if (token != null) {
                        b.header("Authorization", "Bearer " + token);
                    }
                    try {
                        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                        if (System.nanoTime() > warmupEnd) {
                            (r.statusCode() == 200 ? done : failed).incrementAndGet();
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failed.get() > 0) {
            throw new AssertionError(failed.get() + " requests failed on " + path);
        }
        return done.get() / (double) seconds;
    }
}
