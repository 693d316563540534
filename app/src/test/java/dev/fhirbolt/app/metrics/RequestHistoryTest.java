package dev.fhirbolt.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

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
}
