package dev.fhirbolt.app.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(RequestHistory.class);
    private final MeterRegistry registry;
    private final Clock clock;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private final ScheduledExecutorService timer;
    private TreeMap<Double, Double> lastBuckets = new TreeMap<>();
    private long lastCount;
    private Instant minuteStart;
    private Path file;

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

    /**
     * Keeps the finished minutes in {@code file} (rewritten each minute) and takes back those of the last hour that it
     * holds, so that a restart does not empty the dashboard's plots. A file that cannot be read or written is logged.
     */
    public synchronized void keepIn(Path file) {
        this.file = file;
        Instant cutoff = clock.instant().minus(MINUTES, ChronoUnit.MINUTES);
        List<Sample> saved = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            try {
                for (JsonNode s : JSON.readTree(file.toFile()).path("samples")) {
                    saved.add(new Sample(Instant.parse(s.path("minute").asText()), s.path("requests").asLong(),
                            number(s.path("p50")), number(s.path("p95")), number(s.path("p99"))));
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("Cannot read the request history {}: {}", file, e.toString());
            }
        }
        saved.removeIf(s -> s.minute().isBefore(cutoff) || !s.minute().isBefore(minuteStart));
        for (int i = saved.size() - 1; i >= 0; i--) {
            samples.addFirst(saved.get(i));
        }
        while (samples.size() > MINUTES) {
            samples.removeFirst();
        }
    }

    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    private void save() {
        if (file == null) {
            return;
        }
        ObjectNode doc = JSON.createObjectNode();
        ArrayNode list = doc.putArray("samples");
        for (Sample s : samples) {
            ObjectNode o = list.addObject().put("minute", s.minute().toString()).put("requests", s.requests());
            putNumber(o, "p50", s.p50());
            putNumber(o, "p95", s.p95());
            putNumber(o, "p99", s.p99());
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, doc.toString());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("Cannot write the request history {}: {}", file, e.toString());
        }
    }

    private static void putNumber(ObjectNode o, String name, double v) {
        if (Double.isNaN(v)) {
            o.putNull(name);
        } else {
            o.put(name, v);
        }
    }

    /** Closes the minute in progress and starts the next one. */
    synchronized void tick() {
        samples.addLast(sampleSinceLast(true));
        while (samples.size() > MINUTES) {
            samples.removeFirst();
        }
        minuteStart = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        save();
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
