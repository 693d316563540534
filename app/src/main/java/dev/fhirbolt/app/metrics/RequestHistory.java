package dev.fhirbolt.app.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The last hour of FHIR requests, one sample a minute, read from the same registry that {@code /metrics} shows:
 * requests in the minute and the latency percentiles estimated from the histogram buckets of
 * {@code fhirbolt.http.requests} (linear within a bucket). The minute in progress is sampled when asked for.
 */
public final class RequestHistory implements AutoCloseable {

    /** One minute: when it started, requests answered in it, and p50/p95/p99 in milliseconds (NaN without requests). */
    public record Sample(Instant minute, long requests, double p50, double p95, double p99) {
    }

    static final int MINUTES = 60;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private final ScheduledExecutorService timer;
    private TreeMap<Double, Double> lastBuckets = new TreeMap<>();
    private long lastCount;
    private Instant minuteStart;

    RequestHistory(MeterRegistry registry, Clock clock, boolean schedule) {
        this.registry = registry;
        this.clock = clock;
        this.minuteStart = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        if (schedule) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "request-history");
                t.setDaemon(true);
                return t;
            });
            long delay = 60_000 - clock.millis() % 60_000;
            timer.scheduleAtFixedRate(this::tick, delay, 60_000, TimeUnit.MILLISECONDS);
        } else {
            timer = null;
        }
    }

    /** Closes the minute in progress and starts the next one. */
    synchronized void tick() {
        samples.addLast(sampleSinceLast(true));
        while (samples.size() > MINUTES) {
            samples.removeFirst();
        }
        minuteStart = clock.instant().truncatedTo(ChronoUnit.MINUTES);
    }

    /** The finished minutes of the last hour and the one in progress, oldest first. */
    public synchronized List<Sample> samples() {
        List<Sample> out = new ArrayList<>(samples);
        out.add(sampleSinceLast(false));
        Instant cutoff = clock.instant().minus(MINUTES, ChronoUnit.MINUTES);
        out.removeIf(s -> s.minute().isBefore(cutoff));
        return out;
    }

    private Sample sampleSinceLast(boolean advance) {
        long count = 0;
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (Timer t : registry.find("fhirbolt.http.requests").timers()) {
            HistogramSnapshot s = t.takeSnapshot();
            count += s.count();
            for (CountAtBucket b : s.histogramCounts()) {
                buckets.merge(b.bucket(TimeUnit.MILLISECONDS), b.count(), Double::sum);
            }
        }
        long n = count - lastCount;
        TreeMap<Double, Double> delta = new TreeMap<>();
        buckets.forEach((bound, c) -> delta.put(bound, c - lastBuckets.getOrDefault(bound, 0.0)));
        Sample sample = new Sample(minuteStart, n, percentile(delta, n, 0.50), percentile(delta, n, 0.95),
                percentile(delta, n, 0.99));
        if (advance) {
            lastCount = count;
            lastBuckets = buckets;
        }
        return sample;
    }

    /** The q-quantile from cumulative bucket counts; above the last bound it is that bound. */
    static double percentile(TreeMap<Double, Double> cumulative, long total, double q) {
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (var e : cumulative.entrySet()) {
            if (e.getValue() >= rank) {
                double inBucket = e.getValue() - lowerCount;
                double fraction = inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket;
                return lowerBound + (e.getKey() - lowerBound) * fraction;
            }
            lowerBound = e.getKey();
            lowerCount = e.getValue();
        }
        return lowerBound;
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
