package dev.fhirbolt.bench.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads every resource of a list once, by id, from several clients: a pass over a node's whole dataset, which with a
 * cold content cache shows what reading contents from the content store costs (bench/cluster.sh).
 *
 * <p>Arguments: the base URL, a file of {@code Type/id} lines, the number of clients. Prints reads/s, p50, p99 and
 * the failures; exits 1 when a read failed.
 */
public final class ReadEachOnce {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        List<String> refs = Files.readAllLines(Path.of(args[1])).stream().filter(l -> !l.isBlank()).toList();
        int clients = Integer.parseInt(args[2]);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long[] nanos = new long[refs.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        Future<?>[] workers = new Future<?>[clients];
        for (int c = 0; c < clients; c++) {
            workers[c] = pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < refs.size(); ) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/" + refs.get(i)))
                                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() != 200) {
                            failed.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                    nanos[i] = System.nanoTime() - t0;
                }
                return null;
            });
        }
        for (Future<?> w : workers) {
            w.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        Arrays.sort(nanos);
        System.out.printf("%d reads in %.1f s: %.0f/s, p50 %.1f ms, p99 %.1f ms, %d failed%n", refs.size(), seconds,
                refs.size() / seconds, nanos[nanos.length / 2] / 1e6, nanos[(int) (nanos.length * 0.99)] / 1e6,
                failed.get());
        System.exit(failed.get() == 0 ? 0 : 1);
    }
}
