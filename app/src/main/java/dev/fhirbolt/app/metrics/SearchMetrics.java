package dev.fhirbolt.app.metrics;

import dev.fhirbolt.search.SearchObserver;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Searches: how long each took, the index entries read and the matches returned. A search that reads far more
 * entries than it returns lacks a selective index (or a parameter that would use one).
 */
final class SearchMetrics implements SearchObserver {

    private static final double[] ENTRY_BUCKETS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};
    private final Timer time;
    private final DistributionSummary read;
    private final DistributionSummary returned;

    SearchMetrics(MeterRegistry registry) {
        time = Timer.builder("fhirbolt.search").description("Searches answered by the search engine")
                .serviceLevelObjectives(RequestMetrics.BUCKETS).register(registry);
        read = DistributionSummary.builder("fhirbolt.search.index.entries.read")
                .description("Index entries read (point reads, seeks and cursor steps) per search")
                .serviceLevelObjectives(ENTRY_BUCKETS).register(registry);
        returned = DistributionSummary.builder("fhirbolt.search.matches.returned")
                .description("Matches on the page a search answered").serviceLevelObjectives(ENTRY_BUCKETS)
                .register(registry);
    }

    @Override
    public void searched(long indexEntriesRead, int matchesReturned, long nanos) {
        time.record(nanos, TimeUnit.NANOSECONDS);
        read.record(indexEntriesRead);
        returned.record(matchesReturned);
    }
}
