package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Opt-in ({@code -Dfhirbolt.cluster.bench=true}): what the shared audit trail costs a cluster. Two nodes with the
 * audit trail off, then two with it on (each pair on a topic of its own), take the same creates and reads through both
 * nodes from 16 clients, three times in turn (the first pair warms the JVM up); the figures go to standard output
 * (docs/distributed.md).
 */
@EnabledIfSystemProperty(named = "fhirbolt.cluster.bench", matches = "true")
class ClusterAuditOverheadTest {

    private static final int CLIENTS = 16;
    private static final int CREATES = 3_000;
    private static final int READS = 20_000;

    @Test
    void auditOffThenOn() throws Exception {
        ClusterServices services = ClusterServices.small();
        for (String audit : List.of("off", "on", "off", "on", "off", "on")) {
            String topic = "audit-bench-" + audit + "-" + System.nanoTime();
            Map<String, String> flags = new HashMap<>(services.nodeFlags("a", topic));
            flags.put("audit", audit);
            flags.put("read-consistency", "eventual");
            try (TestServer a = TestServer.start(Files.createTempDirectory("bench-a"), flags)) {
                flags.put("node-id", "b");
                try (TestServer b = TestServer.start(Files.createTempDirectory("bench-b"), flags)) {
                    List<String> ids = new ArrayList<>();
                    double creates = run(CREATES, i -> {
                        TestServer node = i % 2 == 0 ? a : b;
                        var r = node.send("POST", "/Patient", "{\"resourceType\":\"Patient\",\"active\":true}");
                        assertEquals(201, r.statusCode(), r.body());
                        if (i < 200) {
                            synchronized (ids) {
                                ids.add(ClusterTest.json(r).path("id").asText());
                            }
                        }
                    });
                    double reads = run(READS, i -> {
                        TestServer node = i % 2 == 0 ? a : b;
                        assertEquals(200, node.get("/Patient/" + ids.get(i % ids.size())).statusCode());
                    });
                    System.out.printf("audit %s: %d creates through both nodes %.0f/s; %d reads %.0f/s%n", audit,
                            CREATES, creates, READS, reads);
                }
            }
        }
    }

    interface Call {
        void call(int i) throws Exception;
    }

    /** Runs n calls from {@link #CLIENTS} threads; answers calls per second. */
    private static double run(int n, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < CLIENTS; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        call.call(i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }
}
