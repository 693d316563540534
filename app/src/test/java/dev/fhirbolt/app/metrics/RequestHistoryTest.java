package dev.fhirbolt.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestHistoryTest {

    @Test
    void percentilesInterpolateWithinTheBucket() {
        TreeMap<Double, Double> cumulative = new TreeMap<>();
        cumulative.put(1.0, 0.0);
        cumulative.put(2.0, 50.0);
        cumulative.put(5.0, 100.0);
        assertEquals(2.0, RequestHistory.percentile(cumulative, 100, 0.50), 1e-9);
        assertEquals(4.7, RequestHistory.percentile(cumulative, 100, 0.95), 1e-9);
        assertTrue(Double.isNaN(RequestHistory.percentile(cumulative, 0, 0.5)));
    }

    @Test
    void eachMinuteCountsOnlyItsOwnRequests() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RequestMetrics requests = new RequestMetrics(registry);
        RequestHistory history = new RequestHistory(registry,
                Clock.fixed(Instant.parse("2026-12-07T07:00:30Z"), ZoneOffset.UTC), false);
        for (int i = 0; i < 10; i++) {
            requests.requestCompleted("read", "Patient", 200, 3_000_000); // 3 ms
        }
        history.tick();
        requests.requestCompleted("search-type", "Patient", 200, 40_000_000); // 40 ms
        var samples = history.samples();
        assertEquals(2, samples.size());
        assertEquals(10, samples.get(0).requests());
        assertTrue(samples.get(0).p50() > 2 && samples.get(0).p50() <= 5, "p50 " + samples.get(0).p50());
        assertEquals(1, samples.get(1).requests(), "the minute in progress");
        assertTrue(samples.get(1).p99() > 25 && samples.get(1).p99() <= 50, "p99 " + samples.get(1).p99());
    }

    @Test
    void theFinishedMinutesOfTheLastHourSurviveARestart(@TempDir Path dir) {
        Path file = dir.resolve("console").resolve("request-history.json");
        Instant[] now = {Instant.parse("2026-12-07T07:00:30Z")};
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RequestMetrics requests = new RequestMetrics(registry);
        RequestHistory before = new RequestHistory(registry, clock, false);
        before.keepIn(file);
        for (int i = 0; i < 5; i++) {
            requests.requestCompleted("read", "Patient", 200, 3_000_000);
        }
        now[0] = Instant.parse("2026-12-07T07:01:02Z");
        before.tick();
        now[0] = Instant.parse("2026-12-07T07:02:01Z");
        before.tick(); // a minute without requests: no percentiles
        before.close();

        now[0] = Instant.parse("2026-12-07T07:03:10Z");
        RequestHistory after = new RequestHistory(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), clock, false);
        after.keepIn(file);
        var samples = after.samples();
        assertEquals(3, samples.size(), samples::toString);
        assertEquals(Instant.parse("2026-12-07T07:00:00Z"), samples.get(0).minute());
        assertEquals(5, samples.get(0).requests());
        assertTrue(samples.get(0).p50() > 2 && samples.get(0).p50() <= 5, "p50 " + samples.get(0).p50());
        assertTrue(Double.isNaN(samples.get(1).p99()));
        assertEquals(0, samples.get(2).requests(), "the minute in progress");

        now[0] = Instant.parse("2026-12-07T09:00:00Z");
        RequestHistory later = new RequestHistory(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), clock, false);
        later.keepIn(file);
        assertEquals(1, later.samples().size(), "older than an hour: gone");
    }
}
