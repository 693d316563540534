package dev.fhirbolt.app.metrics;

import dev.fhirbolt.storage.KvStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;

/**
 * The storage engine's own figures ({@link KvStore#statistics}): memtables, SST files, compactions and flushes, the
 * block cache with its hits and misses. Read once per scrape at most every second, whatever the number of meters.
 * Its owner must keep a reference to it: Micrometer's meters hold it weakly, and once collected they read NaN.
 */
final class StorageMetrics {

    /** Figures that only grow (counts since the store was opened): Prometheus counters. */
    private static final Set<String> COUNTS = Set.of("block-cache-hits", "block-cache-misses",
            "compaction-read-bytes", "compaction-write-bytes", "flush-write-bytes");
    private static final long MAX_AGE_NANOS = 1_000_000_000L;

    private final KvStore kv;
    private volatile Map<String, Long> last;
    private volatile long readAt;

    StorageMetrics(MeterRegistry registry, KvStore kv, String engine) {
        this.kv = kv;
        this.last = kv.statistics();
        this.readAt = System.nanoTime();
        for (String name : last.keySet()) {
            String meter = "fhirbolt.storage." + name.replace('-', '.');
            if (COUNTS.contains(name)) {
                FunctionCounter.builder(meter, this, m -> m.value(name)).tag("engine", engine)
                        .description("Storage engine: " + name + " since start").register(registry);
            } else {
                Gauge.builder(meter, this, m -> m.value(name)).tag("engine", engine)
                        .description("Storage engine: " + name).register(registry);
            }
        }
    }

    private double value(String name) {
        if (System.nanoTime() - readAt > MAX_AGE_NANOS) {
            synchronized (this) {
                if (System.nanoTime() - readAt > MAX_AGE_NANOS) {
                    last = kv.statistics();
                    readAt = System.nanoTime();
                }
            }
        }
        Long v = last.get(name);
        return v == null ? Double.NaN : v;
    }
}
