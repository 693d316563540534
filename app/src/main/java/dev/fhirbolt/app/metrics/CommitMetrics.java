package dev.fhirbolt.app.metrics;

import dev.fhirbolt.database.CommitObserver;
import dev.fhirbolt.database.ResourceStore;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** The commit pipeline: commits waiting, commits per durable batch and the time of each durable write. */
final class CommitMetrics implements CommitObserver {

    private final DistributionSummary batchSize;
    private final Timer writeTime;

    CommitMetrics(MeterRegistry registry, ResourceStore store) {
        Gauge.builder("fhirbolt.commit.queue.depth", store, ResourceStore::commitQueueDepth)
                .description("Commits waiting for the writer thread").register(registry);
        batchSize = DistributionSummary.builder("fhirbolt.commit.batch.size")
                .description("Commits written together in one durable batch (group commit)")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512).register(registry);
        writeTime = Timer.builder("fhirbolt.commit.write")
                .description("Time of one durable batch write, fsync included")
                .serviceLevelObjectives(RequestMetrics.BUCKETS).register(registry);
    }

    @Override
    public void batchWritten(int commits, long writeNanos) {
        batchSize.record(commits);
        writeTime.record(writeNanos, TimeUnit.NANOSECONDS);
    }
}
