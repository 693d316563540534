package dev.fhirbolt.txlog.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fhirbolt.txlog.TxLogReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Appends per second from one producer (acks=all) and records per second of one reader, on
 * {@code -Dfhirbolt.test.kafka.bench.brokers=1} (default) or 3 brokers (replication factor 3, min.insync.replicas
 * 2). Opt-in: {@code -Dfhirbolt.test.kafka.bench=true}; prints the figures docs/distributed.md reports.
 */
@EnabledIfSystemProperty(named = "fhirbolt.test.kafka.bench", matches = "true")
class KafkaTxLogThroughputTest {

    private static final int BROKERS = Integer.getInteger("fhirbolt.test.kafka.bench.brokers", 1);

    @RegisterExtension
    static final KafkaCluster KAFKA = KafkaCluster.withBrokers(BROKERS);

    @Test
    void measure() {
        measure(1024, 20_000);
        measure(20 * 1024, 3_000);
    }

    private static void measure(int size, int count) {
        KafkaTxLogSettings settings = KafkaTxLogSettings.of(KAFKA.bootstrap())
                .withTopic("bench-" + size + "-" + System.currentTimeMillis())
                .withReplication(BROKERS >= 3 ? 3 : 1, BROKERS >= 3 ? 2 : 1).withTimeout(Duration.ofSeconds(30));
        byte[] record = new byte[size];
        try (KafkaTxLog log = KafkaTxLog.open(settings)) {
            pipelined(log, record, 1000); // warm-up
            long start = System.nanoTime();
            pipelined(log, record, count);
            double pipelinedSeconds = seconds(start);
            int oneByOne = Math.min(500, count / 10);
            start = System.nanoTime();
            for (int i = 0; i < oneByOne; i++) {
                log.append(record).join();
            }
            double oneByOneSeconds = seconds(start);
            long last = log.lastPosition();
            start = System.nanoTime();
            long read = 0;
            try (TxLogReader reader = log.read(-1)) {
                long seen = -1;
                while (seen < last) {
                    var records = reader.poll(Duration.ofSeconds(1));
                    read += records.size();
                    seen = records.isEmpty() ? seen : records.getLast().position();
                }
            }
            double readSeconds = seconds(start);
            assertEquals(last + 1, read);
            System.out.printf("BENCH brokers=%d record=%dB: pipelined %d appends in %.2f s = %.0f/s (%.1f MB/s);"
                    + " one at a time %.0f/s (%.2f ms each); read %d in %.2f s = %.0f/s (%.1f MB/s)%n",
                    BROKERS, size, count, pipelinedSeconds, count / pipelinedSeconds,
                    count * (double) size / pipelinedSeconds / 1e6, oneByOne / oneByOneSeconds,
                    oneByOneSeconds * 1000 / oneByOne, read, readSeconds, read / readSeconds,
                    read * (double) size / readSeconds / 1e6);
        }
    }

    private static void pipelined(KafkaTxLog log, byte[] record, int count) {
        List<CompletableFuture<Long>> appended = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            appended.add(log.append(record));
        }
        appended.forEach(CompletableFuture::join);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
