package dev.fhirbolt.bench;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop load: {@code clients} virtual clients each send a request, wait for its response and send the next
 * one at once (no think time), over keep-alive connections. A warm-up lets the JIT, caches and connections settle;
 * only responses completing inside the measured period count. Latency is the time from handing the request to the
 * HTTP client to the end of the response, recorded in microseconds in an HdrHistogram (3 significant digits).
 */
public final class LoadRunner {

    private static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(2);

    /** How requests are sent during measured steps. */
    public enum Transport {
        /** one platform thread and one blocking minimal HTTP/1.1 connection a client: least CPU per request */
        RAW,
        /** Jetty's asynchronous HttpClient: a few threads whatever the number of clients */
        JETTY
    }

    private final BenchClient client;
    private final long serverPid;
    private final Transport transport;
    private final LongAdder created = new LongAdder();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-retry");
        t.setDaemon(true);
        return t;
    });

    /** {@code serverPid} is -1 when the server is not a local process we know (then no RSS or CPU figures). */
    public LoadRunner(BenchClient client, long serverPid, Transport transport) {
        this.client = client;
        this.serverPid = serverPid;
        this.transport = transport;
    }

    /** Requests answered 201 Created by the raw transport, warm-up included (Jetty sends count in the client). */
    public long createdCount() {
        return transport == Transport.RAW ? created.sum() : 0;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Step {
        final Scenario scenario;
        final Histogram latencies = new ConcurrentHistogram(MAX_LATENCY_MICROS, 3);
        final LongAdder ok = new LongAdder();
        final LongAdder errors = new LongAdder();
        final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();
        final CountDownLatch finished;
        volatile long measureFrom = Long.MAX_VALUE;
        volatile long measureTo = Long.MAX_VALUE;
        volatile boolean stopping;

        Step(Scenario scenario, int clients) {
            this.scenario = scenario;
            this.finished = new CountDownLatch(clients);
        }

        void record(Call call, long started, long ended, int status, String location, Throwable failure) {
            if (ended >= measureFrom && ended <= measureTo) {
                if (failure == null && status == call.expectedStatus()) {
                    ok.increment();
                    latencies.recordValue(Math.min(MAX_LATENCY_MICROS, (ended - started) / 1000));
                } else {
                    errors.increment();
                    String kind = failure != null ? failure.getClass().getSimpleName() : "HTTP " + status;
                    errorKinds.computeIfAbsent(kind, k -> new LongAdder()).increment();
                }
            }
            if (status == 201) {
                created.increment();
            }
            scenario.completed(call, status, location);
        }

        /** The raw transport: this thread is one client, blocking on its own connection. */
        void loop(int id) {
            try (RawHttpConnection connection = new RawHttpConnection(client.baseUrl(), 30_000)) {
                for (long n = 0; !stopping; n++) {
                    Call call = scenario.next(id, n);
                    long started = System.nanoTime();
                    try {
                        RawHttpConnection.Response r = connection.exchange(call);
                        record(call, started, System.nanoTime(), r.status(), r.location(), null);
                    } catch (Exception e) {
                        record(call, started, System.nanoTime(), 0, null, e);
                        connection.close();
                        sleepQuietly(10); // no response: back off a little instead of spinning
                    }
                }
            } finally {
                finished.countDown();
            }
        }

        void fire(int id, long n) {
            if (stopping) {
                finished.countDown();
                return;
            }
            Call call = scenario.next(id, n);
            long started = System.nanoTime();
            client.send(call, (status, location, failure) -> {
                record(call, started, System.nanoTime(), status, location, failure);
                if (failure != null) {
                    // no response (refused, reset, timed out): back off a little instead of spinning
                    retries.schedule(() -> fire(id, n + 1), 10, TimeUnit.MILLISECONDS);
                } else {
                    fire(id, n + 1);
                }
            });
        }
    }

    /** Runs one step: warm-up, then the measured period; returns when every client has stopped. */
    public StepResult run(Scenario scenario, int clients, Duration warmup, Duration measure)
            throws InterruptedException {
        Step step = new Step(scenario, clients);
        for (int i = 0; i < clients; i++) {
            int id = i;
            if (transport == Transport.RAW) {
                Thread.ofPlatform().daemon().name("bench-client-" + i).start(() -> step.loop(id));
            } else {
                step.fire(i, 0);
            }
        }
        Thread.sleep(warmup.toMillis());
        Snapshot before = Snapshot.take(serverPid);
        step.measureFrom = before.wallNanos;
        Thread.sleep(measure.toMillis());
        step.measureTo = System.nanoTime();
        Snapshot after = Snapshot.take(serverPid);
        step.stopping = true;
        if (!step.finished.await(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("clients did not stop within 2 minutes of the end of the step");
        }
        double seconds = (step.measureTo - step.measureFrom) / 1e9;
        Histogram h = step.latencies;
        Map<String, Long> kinds = new TreeMap<>();
        step.errorKinds.forEach((k, v) -> kinds.put(k, v.sum()));
        long rss = serverPid > 0 ? ProcStats.rssBytes(serverPid) : -1;
        double wall = after.wallNanos - before.wallNanos;
        double server = serverPid > 0 && before.serverCpu >= 0 && after.serverCpu >= 0
                ? (after.serverCpu - before.serverCpu) / wall : -1;
        double bench = (after.selfCpu - before.selfCpu) / wall;
        double other = -1;
        if (before.machine.totalNanos() > 0 && server >= 0) {
            double busy = (after.machine.busyNanos() - before.machine.busyNanos()) / wall;
            other = Math.max(0, busy - server - bench);
        }
        return new StepResult(scenario.name(), clients, seconds, step.ok.sum(), step.errors.sum(), kinds,
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                ms(h.getMaxValue()), h.getTotalCount() == 0 ? 0 : h.getMean() / 1000.0, rss, server, bench, other);
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    private record Snapshot(long wallNanos, long serverCpu, long selfCpu, ProcStats.MachineCpu machine) {
        static Snapshot take(long serverPid) {
            return new Snapshot(System.nanoTime(), serverPid > 0 ? ProcStats.cpuNanos(serverPid) : -1,
                    ProcStats.cpuNanos(ProcessHandle.current().pid()), ProcStats.machineCpu());
        }
    }
}
