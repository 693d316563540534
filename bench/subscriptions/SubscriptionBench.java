import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Subscription figures against a running server (security off): write throughput without subscriptions, then with
 * N rest-hook subscriptions (Observation?code=cK, each write matching one of them, every write tested against all),
 * and the time from a change's commit (its meta.lastUpdated, millisecond precision) to its notification's arrival at a
 * local receiver. Then the subscriptions are deleted and the writes without subscriptions measured again: the phase
 * that runs first pays more of the JIT's work and the later ones more of RocksDB's compactions and a larger database,
 * so the phase with subscriptions is compared with the mean of the phases before and after it.
 * Usage: java SubscriptionBench.java BASE_URL SUBSCRIPTIONS CLIENTS SECONDS [SERVER_PID]
 * (FHIRBOLT_BENCH_WARMUP: seconds of writes before the first phase, 15 by default; FHIRBOLT_BENCH_SUBSCRIBED_WARMUP:
 * seconds of writes with the subscriptions after it, 10 by default; FHIRBOLT_BENCH_OBSERVATION: small or vital-signs,
 * the Observations written, see {@link #observation})
 */
public class SubscriptionBench {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final java.util.regex.Pattern LAST_UPDATED = java.util.regex.Pattern.compile(
            "\"lastUpdated\":\"([^\"]+)\"");
    static final List<Long> LATENCIES = Collections.synchronizedList(new ArrayList<>());

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int subscriptions = Integer.parseInt(args[1]);
        int clients = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        String shape = System.getenv().getOrDefault("FHIRBOLT_BENCH_OBSERVATION", "small");
        if (shape.equals("vital-signs")) {
            PATIENT = post(base + "/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Bench\"}]}");
        } else if (!shape.equals("small")) {
            throw new IllegalArgumentException("FHIRBOLT_BENCH_OBSERVATION is small or vital-signs, not " + shape);
        }
        Receiver hook = new Receiver();
        String hookUrl = "http://127.0.0.1:" + hook.port() + "/hook";

        long serverPid = args.length > 4 ? Long.parseLong(args[4]) : -1;
        // warm-up: 15 s by default (FHIRBOLT_BENCH_WARMUP); with 3 s the first measured phase still paid most of the
        // JIT's compilations (2-7 times the server CPU per write of the last phase on a busy machine)
        int warmup = Integer.parseInt(System.getenv().getOrDefault("FHIRBOLT_BENCH_WARMUP", "15"));
        run(base, clients, warmup, 1000);
        // and the delivery path: without this the phase with subscriptions paid the JIT's compilation of the
        // dispatcher, the workers and the HTTP client (306 µs of compiler threads per write in one run)
        int subscribedWarmup = Integer.parseInt(System.getenv().getOrDefault("FHIRBOLT_BENCH_SUBSCRIBED_WARMUP", "10"));
        if (subscriptions > 0 && subscribedWarmup > 0) {
            List<String> warm = subscribe(base, subscriptions, hookUrl);
            Thread.sleep(2000);
            run(base, clients, subscribedWarmup, subscriptions);
            Thread.sleep(2000);
            for (String id : warm) {
                delete(base + "/Subscription/" + id);
            }
            Thread.sleep(1000);
        }
        long[] cpu0 = cpu(serverPid);
        Map<String, Long> threads0 = threads(serverPid);
        double without = run(base, clients, seconds, 1000);
        long[] cpu1 = cpu(serverPid);
        Map<String, Long> threads1 = threads(serverPid);
        List<String> ids = subscribe(base, subscriptions, hookUrl);
        Thread.sleep(2000); // the subscriptions become active
        LATENCIES.clear();
        long[] cpu2 = cpu(serverPid);
        Map<String, Long> threads2 = threads(serverPid);
        double with = run(base, clients, seconds, Math.max(1, subscriptions));
        long drainUntil = System.nanoTime() + 30_000_000_000L; // the last notifications arrive (at most 30 s more)
        while (subscriptions > 0 && LATENCIES.size() < (long) (with * seconds) && System.nanoTime() < drainUntil) {
            Thread.sleep(50);
        }
        Thread.sleep(500);
        long[] cpu3 = cpu(serverPid);
        Map<String, Long> threads3 = threads(serverPid);
        for (String id : ids) { // the subscriptions go; the writes without them are measured again
            delete(base + "/Subscription/" + id);
        }
        Thread.sleep(2000);
        long[] cpu4 = cpu(serverPid);
        Map<String, Long> threads4 = threads(serverPid);
        double again = run(base, clients, seconds, 1000);
        long[] cpu5 = cpu(serverPid);
        Map<String, Long> threads5 = threads(serverPid);
        double mean = (without + again) / 2;
        List<Long> sorted = new ArrayList<>(LATENCIES);
        Collections.sort(sorted);
        System.out.printf("writes/s without subscriptions:          %.0f (%d clients, %d s, %s Observations)%n",
                without, clients, seconds, shape);
        System.out.printf("writes/s with %d subscriptions:          %.0f (%.1f %% of the first phase without)%n",
                subscriptions, with, 100 * with / without);
        System.out.printf("writes/s without subscriptions, again:   %.0f (after deleting them)%n", again);
        System.out.printf("writes/s with / without (mean of both):  %.1f %% (target >= 90 %%)%n", 100 * with / mean);
        if (!sorted.isEmpty()) {
            System.out.printf("notification after its commit:           p50 %.1f ms, p90 %.1f ms, p99 %.1f ms"
                    + " over %d notifications (target p50 <= 100 ms)%n", pct(sorted, 50), pct(sorted, 90),
                    pct(sorted, 99), sorted.size());
        }
        if (serverPid > 0) {
            // CPU per write (server, and this process: the clients and the receiver), which a loaded machine
            // changes far less than throughput; with subscriptions it includes delivering every notification
            double n0 = without * seconds;
            double n1 = with * seconds;
            double s0 = (cpu1[0] - cpu0[0]) / n0;
            double b0 = (cpu1[1] - cpu0[1]) / n0;
            double s1 = (cpu3[0] - cpu2[0]) / n1;
            double b1 = (cpu3[1] - cpu2[1]) / n1;
            System.out.printf("CPU per write without subscriptions:      server %.0f µs + clients %.0f µs%n", s0, b0);
            System.out.printf("CPU per write with %d subscriptions:     server %.0f µs + clients and receiver %.0f µs"
                    + " (without / with: %.1f %%, the throughput ratio a CPU-bound machine of its own would see)%n",
                    subscriptions, s1, b1, 100 * (s0 + b0) / (s1 + b1));
            System.out.printf("server CPU per write without / with:       %.1f %% (the throughput ratio a server with"
                    + " cores of its own would see, its clients and subscribers elsewhere)%n", 100 * s0 / s1);
            double n2 = again * seconds;
            double s2 = (cpu5[0] - cpu4[0]) / n2;
            System.out.printf("server CPU per write without, again:      %.0f µs; without (mean of both) / with: %.1f %%%n",
                    s2, 100 * (s0 + s2) / 2 / s1);
            // where the server's CPU goes, by thread (names grouped: digits dropped), µs per write in each phase
            java.util.TreeSet<String> names = new java.util.TreeSet<>(threads1.keySet());
            names.addAll(threads3.keySet());
            names.addAll(threads5.keySet());
            System.out.println("server CPU per write by thread group:     without → with → without again (µs)");
            for (String name : names) {
                double a = (threads1.getOrDefault(name, 0L) - threads0.getOrDefault(name, 0L)) / n0;
                double b = (threads3.getOrDefault(name, 0L) - threads2.getOrDefault(name, 0L)) / n1;
                double c = (threads5.getOrDefault(name, 0L) - threads4.getOrDefault(name, 0L)) / n2;
                if (a >= 5 || b >= 5 || c >= 5) {
                    System.out.printf("  %-28s %7.0f → %7.0f → %7.0f%n", name, a, b, c);
                }
            }
        }
        hook.close();
        System.exit(0);
    }

    /** Creates the rest-hook subscriptions {@code Observation?code=http://bench|cK} (full-resource payload); ids. */
    static List<String> subscribe(String base, int subscriptions, String hookUrl) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < subscriptions; i++) {
            ids.add(post(base + "/Subscription", "{\"resourceType\":\"Subscription\",\"status\":\"requested\",\"reason\":"
                    + "\"bench\",\"criteria\":\"Observation?code=http://bench|c" + i + "\",\"channel\":{\"type\":"
                    + "\"rest-hook\",\"endpoint\":\"" + hookUrl + "\",\"payload\":\"application/fhir+json\"}}"));
        }
        return ids;
    }

    /**
     * The subscriber: an HTTP/1.1 endpoint as lean as this bench can make it (a thread per keep-alive connection,
     * requests with a Content-Length body, an empty 200 answer), standing for a subscriber on a machine of its own. It
     * shares this machine's cores with the server, and the JDK's HttpServer used before cost ~500 µs of CPU per
     * notification, more than the server's whole write: the ratio then measured the receiver more than the server.
     * Each notification's latency is its arrival time less the commit time in its meta.lastUpdated.
     */
    static final class Receiver implements AutoCloseable {
        private static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        private final java.net.ServerSocket server;

        Receiver() throws java.io.IOException {
            server = new java.net.ServerSocket(0, 512, java.net.InetAddress.getByName("127.0.0.1"));
            Thread.ofPlatform().daemon().start(() -> {
                while (!server.isClosed()) {
                    try {
                        java.net.Socket s = server.accept();
                        Thread.ofPlatform().daemon().start(() -> serve(s));
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        private static void serve(java.net.Socket socket) {
            try (socket; var in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
                    var out = socket.getOutputStream()) {
                socket.setTcpNoDelay(true);
                byte[] body = new byte[65536];
                while (true) {
                    int length = -1;
                    String line;
                    while (!(line = readLine(in)).isEmpty()) { // the request line, then the headers
                        if (line.equals("\u0000")) {
                            return; // the connection closed
                        }
                        int colon = line.indexOf(':');
                        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                            length = Integer.parseInt(line.substring(colon + 1).trim());
                        }
                    }
                    if (length < 0) {
                        throw new IllegalStateException("a notification without Content-Length");
                    }
                    if (length > body.length) {
                        body = new byte[length];
                    }
                    in.readNBytes(body, 0, length);
                    long nowMillis = System.currentTimeMillis();
                    java.util.regex.Matcher m = LAST_UPDATED.matcher(new String(body, 0, length,
                            java.nio.charset.StandardCharsets.UTF_8));
                    if (m.find()) { // the commit's time, as the server stamped it (same machine, same clock)
                        long committed = java.time.OffsetDateTime.parse(m.group(1)).toInstant().toEpochMilli();
                        LATENCIES.add(Math.max(0, nowMillis - committed) * 1_000_000L);
                    }
                    out.write(OK);
                    out.flush();
                }
            } catch (java.io.IOException e) {
                // the server closed the connection
            }
        }

        /** One header line without its CRLF; "\0" at the end of the stream. */
        private static String readLine(java.io.InputStream in) throws java.io.IOException {
            StringBuilder b = new StringBuilder(64);
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    return "\u0000";
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        @Override
        public void close() throws java.io.IOException {
            server.close();
        }
    }

    /** CPU time in µs so far of the server process ({@code /proc}) and of this one. */
    static long[] cpu(long pid) throws Exception {
        long server = 0;
        if (pid > 0) {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            server = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1_000_000L / 100; // clock ticks of 10 ms
        }
        long own = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1000;
        return new long[] {server, own};
    }

    /**
     * CPU time in µs so far of the server's threads, by name with digits dropped ({@code /proc/<pid>/task}; threads
     * that ended are missed, so a group can shrink).
     */
    static Map<String, Long> threads(long pid) {
        Map<String, Long> out = new java.util.TreeMap<>();
        if (pid <= 0) {
            return out;
        }
        java.io.File[] tasks = new java.io.File("/proc/" + pid + "/task").listFiles();
        for (java.io.File task : tasks == null ? new java.io.File[0] : tasks) {
            try {
                String stat = java.nio.file.Files.readString(task.toPath().resolve("stat"));
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "N");
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                out.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000L, Long::sum);
            } catch (Exception e) {
                // the thread ended meanwhile
            }
        }
        return out;
    }

    static double pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100)) / 1e6;
    }

    /** Creates Observations from {@code clients} threads for {@code seconds}; writes per second. */
    static double run(String base, int clients, int seconds, int codes) throws Exception {
        AtomicLong done = new AtomicLong();
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads.add(Thread.ofPlatform().start(() -> {
                long n = client;
                while (System.nanoTime() < until) {
                    String body = observation("c" + (n++ % codes));
                    try {
                        post(base + "/Observation", body);
                        done.incrementAndGet();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return done.get() / (double) seconds;
    }

    /**
     * The Observation each client writes, coded {@code http://bench|code} (what a subscription's criteria test):
     * "small" (the default) carries nothing else, the cheapest write the server has, so a notification's cost weighs
     * most; "vital-signs" is shaped like Synthea's heart-rate Observations (category, a LOINC coding, the patient, the
     * time, a quantity: the search parameters and reference check a real write pays).
     */
    static String observation(String code) {
        if (PATIENT == null) {
            return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{"
                    + "\"system\":\"http://bench\",\"code\":\"" + code + "\"}]}}";
        }
        return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"category\":[{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":\"vital-signs\",\"display\":"
                + "\"vital-signs\"}]}],\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\","
                + "\"display\":\"Heart rate\"},{\"system\":\"http://bench\",\"code\":\"" + code + "\"}],\"text\":"
                + "\"Heart rate\"},\"subject\":{\"reference\":\"Patient/" + PATIENT + "\"},\"effectiveDateTime\":"
                + "\"2026-12-07T10:00:00+00:00\",\"issued\":\"2026-12-07T10:00:00.000+00:00\",\"valueQuantity\":{"
                + "\"value\":72,\"unit\":\"/min\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"/min\"}}";
    }

    /** The patient of the "vital-signs" Observations (null: "small" ones). */
    static String PATIENT;

    static void delete(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + " " + r.body());
        }
    }

    static String post(String url, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/fhir+json").header("Prefer", "return=minimal")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + " " + r.body());
        }
        String location = r.headers().firstValue("Location").orElseThrow();
        String[] parts = location.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i].equals("Observation") || parts[i].equals("Subscription") || parts[i].equals("Patient")) {
                return parts[i + 1];
            }
        }
        throw new IllegalStateException("no id in " + location);
    }
}
