package dev.fhirbolt.app.metrics;

import dev.fhirbolt.cluster.ContentCache;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * A cluster node's content cache: reads of resource contents answered from memory (hits) or by fetching their
 * command from the content store (misses), the fetches with their time and failures, and the memory held.
 */
final class ContentCacheMetrics {

    ContentCacheMetrics(MeterRegistry registry, ContentCache cache) {
        counter(registry, cache, "fhirbolt.content.cache.hits", "Resource contents read from the content cache",
                s -> s.hits());
        counter(registry, cache, "fhirbolt.content.cache.misses", "Resource contents not in the content cache",
                s -> s.misses());
        counter(registry, cache, "fhirbolt.content.store.fetches", "Commands fetched from the content store",
                s -> s.fetches());
        counter(registry, cache, "fhirbolt.content.store.fetch.failures",
                "Fetches from the content store that failed (the read answered 503)", s -> s.fetchFailures());
        counter(registry, cache, "fhirbolt.content.store.fetch.seconds",
                "Time spent fetching from the content store (divide by fetches for the mean)", s -> s.fetchSeconds());
        Gauge.builder("fhirbolt.content.cache.bytes", cache, c -> c.stats().bytes())
                .description("Memory the content cache holds (bytes, estimated)").register(registry);
        Gauge.builder("fhirbolt.content.cache.entries", cache, c -> c.stats().entries())
                .description("Resource contents in the content cache").register(registry);
    }

    private static void counter(MeterRegistry registry, ContentCache cache, String name, String description,
            ToDoubleFunction<ContentCache.Stats> value) {
        FunctionCounter.builder(name, cache, c -> value.applyAsDouble(c.stats())).description(description)
                .register(registry);
    }
}
