package dev.fhirbolt.app.metrics;

import dev.fhirbolt.rest.http.RequestObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** {@code fhirbolt_http_requests_seconds}: FHIR requests by interaction, resource type and status, as a histogram. */
final class RequestMetrics implements RequestObserver {

    /** Bucket bounds from a cached read to a large transaction. */
    static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    /** The most timers kept in {@link #timers}; beyond, a timer is looked up in the registry each time. */
    private static final int MOST_CACHED = 4096;

    private final MeterRegistry registry;
    /** Timers already registered, so that a request does not build tags and look its timer up in the registry. */
    private final ConcurrentHashMap<Key, Timer> timers = new ConcurrentHashMap<>();

    private record Key(String interaction, String type, int status) {
    }

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void requestCompleted(String interaction, String type, int status, long nanos) {
        Key key = new Key(interaction, type, status);
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = timer(key);
            if (timers.size() < MOST_CACHED) {
                timers.putIfAbsent(key, timer);
            }
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(Key key) {
        return Timer.builder("fhirbolt.http.requests")
                .description("FHIR API requests answered, by interaction, resource type and HTTP status")
                .tag("interaction", key.interaction())
                .tag("type", key.type())
                .tag("status", Integer.toString(key.status()))
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }
}
