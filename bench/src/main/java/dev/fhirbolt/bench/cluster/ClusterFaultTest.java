package dev.fhirbolt.bench.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cluster fault test: a steady mixed load through both Fhirbolt nodes while one Kafka broker, one Cassandra node
 * and one Fhirbolt node are killed with -9 and restarted, one after another; then a check, per resource, that every
 * acknowledged write is on both nodes with contiguous versions, and that both nodes answer the same searches.
 *
 * <p>Arguments: the project directory, then the Fhirbolt base URLs (the cluster must be up: bench/cluster-faults.sh
 * starts it). Prints a report and exits 1 when anything acknowledged is missing.
 */
public final class ClusterFaultTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** What the load was told: per resource, the last acknowledged version and its marker. */
    private final Map<String, long[]> acknowledged = new ConcurrentHashMap<>();
    private final AtomicLong acks = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Map<String, AtomicLong> failuresByPhase = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> acksByPhase = new ConcurrentHashMap<>();
    private volatile String phase = "warm-up";
    private volatile boolean running = true;
    private final List<String> nodes;
    private final String project;

    private ClusterFaultTest(String project, List<String> nodes) {
        this.project = project;
        this.nodes = nodes;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: ClusterFaultTest PROJECT_DIR BASE_URL_1 BASE_URL_2 [SECONDS_PER_PHASE]");
            System.exit(2);
        }
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        ClusterFaultTest test = new ClusterFaultTest(args[0], List.of(args[1], args[2]));
        System.exit(test.run(seconds) ? 0 : 1);
    }

    private boolean run(int seconds) throws Exception {
        long started = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            int worker = w;
            workers.add(Thread.ofPlatform().name("load-" + w).start(() -> load(worker)));
        }
        phase("steady", seconds);
        for (String kind : List.of("kafka", "cassandra", "fhirbolt")) {
            cluster("kill", kind, "2");
            phase(kind + " 2 killed", seconds);
            cluster("start", kind, "2");
            phase(kind + " 2 restarted", seconds);
        }
        running = false;
        for (Thread t : workers) {
            t.join();
        }
        boolean ok = verify();
        System.out.printf("%nelapsed %.0f s; acknowledged writes %d, failed or unanswered %d%n",
                (System.nanoTime() - started) / 1e9, acks.get(), failures.get());
        return ok;
    }

    private void phase(String name, int seconds) throws InterruptedException {
        phase = name;
        long acksBefore = acks.get();
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("%-24s %6d acknowledged writes (%.0f/s), %5d failed%n", name, acks.get() - acksBefore,
                (acks.get() - acksBefore) / elapsed, failuresByPhase.getOrDefault(name, new AtomicLong()).get());
    }

    private void cluster(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", project + "/bin/cluster"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("bin/cluster " + String.join(" ", args) + " failed");
        }
        System.out.println("-- bin/cluster " + String.join(" ", args));
    }

    /** Creates Patients and updates them with If-Match, alternating between the nodes. */
    private void load(int worker) {
        List<String> mine = new ArrayList<>();
        long n = 0;
        while (running) {
            n++;
            String node = nodes.get((int) (n % nodes.size()));
            String currentPhase = phase;
            try {
                if (mine.isEmpty() || ThreadLocalRandom.current().nextInt(3) == 0) {
                    long marker = n;
                    HttpResponse<String> r = send(node, "POST", "/Patient", patient(null, worker, marker), null);
                    if (r.statusCode() == 201) {
                        JsonNode body = JSON.readTree(r.body());
                        String id = body.path("id").asText();
                        acknowledged.put(id, new long[] {Long.parseLong(body.path("meta").path("versionId").asText()),
                                marker});
                        mine.add(id);
                        acked(currentPhase);
                        continue;
                    }
                    failed(currentPhase);
                } else {
                    String id = mine.get(ThreadLocalRandom.current().nextInt(mine.size()));
                    long[] known = acknowledged.get(id);
                    long marker = n;
                    HttpResponse<String> r = send(node, "PUT", "/Patient/" + id, patient(id, worker, marker),
                            "W/\"" + known[0] + "\"");
                    if (r.statusCode() == 200) {
                        JsonNode body = JSON.readTree(r.body());
                        acknowledged.put(id, new long[] {Long.parseLong(body.path("meta").path("versionId").asText()),
                                marker});
                        acked(currentPhase);
                        continue;
                    }
                    if (r.statusCode() == 412) {
                        // an earlier update was applied although its answer was lost: learn the current version
                        HttpResponse<String> now = send(node, "GET", "/Patient/" + id, null, null);
                        if (now.statusCode() == 200) {
                            JsonNode body = JSON.readTree(now.body());
                            acknowledged.put(id, new long[] {Long.parseLong(
                                    body.path("meta").path("versionId").asText()),
                                    body.path("identifier").path(0).path("value").asLong()});
                        }
                    }
                    failed(currentPhase);
                }
            } catch (Exception e) {
                failed(currentPhase);
            }
            pauseAfterFailure();
        }
    }

    private void pauseAfterFailure() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acked(String phase) {
        acks.incrementAndGet();
        acksByPhase.computeIfAbsent(phase, k -> new AtomicLong()).incrementAndGet();
    }

    private void failed(String phase) {
        failures.incrementAndGet();
        failuresByPhase.computeIfAbsent(phase, k -> new AtomicLong()).incrementAndGet();
    }

    private static String patient(String id, int worker, long marker) {
        return "{\"resourceType\":\"Patient\"" + (id == null ? "" : ",\"id\":\"" + id + "\"")
                + ",\"identifier\":[{\"system\":\"urn:fault-test\",\"value\":\"" + marker + "\"}]"
                + ",\"name\":[{\"family\":\"Worker" + worker + "\"}]}";
    }

    private static HttpResponse<String> send(String base, String method, String path, String body, String ifMatch)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(40))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/fhir+json");
        if (ifMatch != null) {
            b.header("If-Match", ifMatch);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every acknowledged write on both nodes, versions contiguous, and the same search answers. */
    private boolean verify() throws Exception {
        int missing = 0;
        int gaps = 0;
        int differ = 0;
        for (Map.Entry<String, long[]> e : new TreeMap<>(acknowledged).entrySet()) {
            String id = e.getKey();
            List<String> histories = new ArrayList<>();
            for (String node : nodes) {
                HttpResponse<String> h = send(node, "GET", "/Patient/" + id + "/_history?_count=1000", null, null);
                JsonNode bundle = JSON.readTree(h.body());
                List<Long> versions = new ArrayList<>();
                boolean ackedPresent = false;
                for (JsonNode entry : bundle.path("entry")) {
                    JsonNode r = entry.path("resource");
                    long v = Long.parseLong(r.path("meta").path("versionId").asText());
                    versions.add(v);
                    if (v == e.getValue()[0] && r.path("identifier").path(0).path("value").asLong()
                            == e.getValue()[1]) {
                        ackedPresent = true;
                    }
                }
                for (int i = 0; i < versions.size(); i++) {
                    if (versions.get(i) != versions.size() - i) {
                        gaps++;
                        System.out.println("versions not contiguous on " + node + " for Patient/" + id + ": "
                                + versions);
                        break;
                    }
                }
                if (!ackedPresent) {
                    missing++;
                    System.out.println("acknowledged version " + e.getValue()[0] + " of Patient/" + id
                            + " missing on " + node);
                }
                List<String> resources = new ArrayList<>();
                for (JsonNode entry : bundle.path("entry")) {
                    resources.add(entry.path("resource").toString()); // fullUrl names the node, so it differs
                }
                histories.add(resources.toString());
            }
            if (!histories.get(0).equals(histories.get(1))) {
                differ++;
                System.out.println("the nodes' histories of Patient/" + id + " differ");
            }
        }
        long[] totals = new long[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            totals[i] = JSON.readTree(send(nodes.get(i), "GET", "/Patient?_summary=count", null, null).body())
                    .path("total").asLong();
        }
        System.out.printf("checked %d resources: %d acknowledged versions missing, %d with gaps, %d whose histories"
                + " differ between the nodes; Patient totals %d and %d%n", acknowledged.size(), missing, gaps, differ,
                totals[0], totals[1]);
        return missing == 0 && gaps == 0 && differ == 0 && totals[0] == totals[1];
    }
}
