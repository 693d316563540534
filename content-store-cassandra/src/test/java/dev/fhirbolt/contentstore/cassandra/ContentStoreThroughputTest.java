package dev.fhirbolt.contentstore.cassandra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Puts and gets per second from one client with a few hundred requests in flight, at QUORUM, for 1 KiB and 20 KiB
 * values. Opt-in ({@code -Dfhirbolt.cassandra.bench=true}); runs on the test node, or on the cluster named by
 * {@code -Dfhirbolt.cassandra.contactPoints}. Figures go to standard output and target/cassandra-throughput.txt.
 */
@EnabledIfSystemProperty(named = "fhirbolt.cassandra.bench", matches = "true")
@ExtendWith(OneCassandraNode.class)
class ContentStoreThroughputTest {

    private static final int IN_FLIGHT = Integer.getInteger("fhirbolt.cassandra.bench.inFlight", 256);
    private static final int COUNT = Integer.getInteger("fhirbolt.cassandra.bench.count", 10_000);

    @Test
    void putsAndGets(CassandraSettings node) throws Exception {
        try (CassandraContentStore store = CassandraContentStore.open(node.withKeyspace("bench")
                .withRequestTimeout(Duration.ofSeconds(20)))) {
            int nodes = node.contactPoints().size();
            for (int size : new int[] {1024, 20 * 1024}) {
                String run = size + "-" + System.nanoTime();
                measure(store, run, size, COUNT / 4, true, nodes, false); // warm-up
                measure(store, run, size, COUNT, false, nodes, true);
            }
        }
    }

    private static void measure(CassandraContentStore store, String run, int size, int count, boolean warm, int nodes,
            boolean report) throws Exception {
        byte[] value = new byte[size];
        new Random(size).nextBytes(value);
        String prefix = run + (warm ? "-warm-" : "-");
        AtomicInteger failures = new AtomicInteger();
        AtomicLongArray latencies = new AtomicLongArray(count);
        AtomicIntegerArray unacknowledged = new AtomicIntegerArray(count);
        InFlight inFlight = new InFlight(IN_FLIGHT);
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            int n = i;
            long t0 = System.nanoTime();
            inFlight.start(() -> store.put(key(prefix, n), value), (ok, failure) -> {
                latencies.set(n, System.nanoTime() - t0);
                if (failure != null) {
                    failures.incrementAndGet();
                    unacknowledged.set(n, 1);
                }
            });
        }
        inFlight.drain(600);
        double putSeconds = (System.nanoTime() - started) / 1e9;
        String puts = line("put", size, count, putSeconds, latencies, failures.get(), nodes);
        failures.set(0);
        AtomicInteger wrong = new AtomicInteger();
        started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            int n = (int) ((i * 7919L) % count);
            long t0 = System.nanoTime();
            inFlight.start(() -> store.get(key(prefix, n)), (found, failure) -> {
                latencies.set(n, System.nanoTime() - t0);
                if (failure != null) {
                    failures.incrementAndGet();
                } else if (found.isPresent() ? !Arrays.equals(found.get(), value) : unacknowledged.get(n) == 0) {
                    wrong.incrementAndGet();
                }
            });
        }
        inFlight.drain(600);
        double getSeconds = (System.nanoTime() - started) / 1e9;
        String gets = line("get", size, count, getSeconds, latencies, failures.get(), nodes);
        if (report) {
            System.out.println(puts);
            System.out.println(gets);
            Path out = Path.of("target", "cassandra-throughput.txt");
            Files.writeString(out, puts + "\n" + gets + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        assertEquals(0, wrong.get(), "gets that did not return the value of an acknowledged put");
    }

    private static byte[] key(String prefix, int n) {
        return (prefix + n).getBytes(StandardCharsets.UTF_8);
    }

    private static String line(String what, int size, int count, double seconds, AtomicLongArray latencies,
            int failures, int nodes) {
        long[] sorted = new long[latencies.length()];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = latencies.get(i);
        }
        Arrays.sort(sorted);
        return String.format("%d node(s), %s %d B x %d, %d in flight: %.0f/s, p50 %.1f ms, p99 %.1f ms, %d failed",
                nodes, what, size, count, IN_FLIGHT, count / seconds, sorted[count / 2] / 1e6,
                sorted[(int) (count * 0.99)] / 1e6, failures);
    }
}
