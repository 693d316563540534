package dev.fhirbolt.txlog.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.txlog.TxLogReader;
import dev.fhirbolt.txlog.TxLogRecord;
import dev.fhirbolt.txlog.TxLogUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three brokers, replication factor 3, min.insync.replicas 2: the partition leader is killed with -9 while one
 * producer appends; no acknowledged record may be lost and appends must go on; with two brokers gone appends fail
 * within the timeout. Opt-in (about a minute and three brokers): {@code -Dfhirbolt.test.kafka.faults=true}.
 */
@EnabledIfSystemProperty(named = "fhirbolt.test.kafka.faults", matches = "true")
class KafkaTxLogBrokerLossTest {

    @RegisterExtension
    static final KafkaCluster KAFKA = KafkaCluster.withBrokers(3);

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void killingTheLeaderLosesNoAcknowledgedAppendAndAppendsGoOn() throws Exception {
        KafkaTxLogSettings settings = KafkaTxLogSettings.of(KAFKA.bootstrap())
                .withTopic("loss-" + System.currentTimeMillis()).withReplication(3, 2).withTimeout(TIMEOUT);
        Map<Long, String> acknowledged = new ConcurrentSkipListMap<>();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong killedAt = new AtomicLong();
        AtomicInteger firstSentAfterKill = new AtomicInteger(Integer.MAX_VALUE);
        AtomicLong firstAcknowledgedAfterKill = new AtomicLong();
        try (KafkaTxLog log = openPatiently(settings)) {
            int leader = leader(settings.topic());
            int sent = 0;
            long killAt = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            long endAt = killAt + Duration.ofSeconds(25).toNanos();
            int acknowledgedBeforeKill = 0;
            List<CompletableFuture<Long>> window = new ArrayList<>();
            while (System.nanoTime() < endAt) {
                if (killedAt.get() == 0 && System.nanoTime() > killAt) {
                    acknowledgedBeforeKill = acknowledged.size();
                    KAFKA.node("kill", leader);
                    killedAt.set(System.nanoTime());
                    firstSentAfterKill.set(sent);
                }
                int index = sent++;
                String payload = "r" + index;
                window.add(log.append(payload.getBytes(StandardCharsets.UTF_8)).whenComplete((position, error) -> {
                    if (error == null) {
                        acknowledged.put(position, payload);
                        if (index >= firstSentAfterKill.get()) {
                            firstAcknowledgedAfterKill.compareAndSet(0, System.nanoTime());
                        }
                    } else {
                        assertTrue(error instanceof TxLogUnavailableException, "failure: " + error);
                        failed.incrementAndGet();
                    }
                }));
                if (window.size() >= 20) {
                    for (CompletableFuture<Long> append : window) {
                        append.exceptionally(error -> -1L).join();
                    }
                    window.clear();
                }
            }
            window.forEach(append -> append.exceptionally(error -> -1L).join());
            int afterKill = acknowledged.size() - acknowledgedBeforeKill;
            System.out.printf("leader %d killed: %d appends, %d acknowledged before, %d after, %d failed;"
                    + " appends acknowledged again %.1f s after the kill%n", leader, sent, acknowledgedBeforeKill,
                    afterKill, failed.get(), (firstAcknowledgedAfterKill.get() - killedAt.get()) / 1e9);
            assertTrue(afterKill > 100, "appends went on after the leader was killed: " + afterKill);

            KAFKA.node("start", leader);
            awaitFullIsr(settings.topic());
            assertEverythingAcknowledgedIsThere(log, acknowledged);
        }
    }

    @Test
    void withTwoBrokersGoneAppendsFailWithinTheTimeout() throws Exception {
        KafkaTxLogSettings settings = KafkaTxLogSettings.of(KAFKA.bootstrap())
                .withTopic("quorum-" + System.currentTimeMillis()).withReplication(3, 2).withTimeout(TIMEOUT);
        try (KafkaTxLog log = openPatiently(settings)) {
            long before = log.append(new byte[] {1}).join();
            KAFKA.node("kill", 2);
            KAFKA.node("kill", 3);
            try {
                long start = System.nanoTime();
                CompletionException failed = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                        () -> log.append(new byte[] {2}).join());
                long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(failed.getCause() instanceof TxLogUnavailableException, "cause " + failed.getCause());
                assertTrue(took < TIMEOUT.toMillis() + 3_000, "failed after " + took + " ms");
                System.out.printf("with 2 of 3 brokers gone an append failed after %d ms%n", took);
            } finally {
                KAFKA.node("start", 2);
                KAFKA.node("start", 3);
            }
            awaitFullIsr(settings.topic());
            assertTrue(appendPatiently(log, new byte[] {3}) > before, "appends resume");
        }
    }

    /** Right after brokers come back a busy machine may need more than one timeout; a node would retry too. */
    private static KafkaTxLog openPatiently(KafkaTxLogSettings settings) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                return KafkaTxLog.open(settings);
            } catch (TxLogUnavailableException e) {
                assertTrue(System.nanoTime() < deadline, "the log opened within a minute: " + e);
                Thread.sleep(500);
            }
        }
    }

    private static long appendPatiently(KafkaTxLog log, byte[] record) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                return log.append(record).join();
            } catch (CompletionException e) {
                assertTrue(e.getCause() instanceof TxLogUnavailableException, "cause " + e.getCause());
                assertTrue(System.nanoTime() < deadline, "appends resumed within a minute: " + e);
                Thread.sleep(500);
            }
        }
    }

    private static void assertEverythingAcknowledgedIsThere(KafkaTxLog log, Map<Long, String> acknowledged) {
        Map<Long, String> logged = new TreeMap<>();
        Set<String> payloads = new HashSet<>();
        long last = log.lastPosition();
        try (TxLogReader reader = log.read(-1)) {
            long seen = -1;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (seen < last && System.nanoTime() < deadline) {
                for (TxLogRecord record : reader.poll(Duration.ofMillis(500))) {
                    String payload = new String(record.payload(), StandardCharsets.UTF_8);
                    assertTrue(payloads.add(payload), "logged once: " + payload);
                    logged.put(record.position(), payload);
                    seen = record.position();
                }
            }
        }
        for (Map.Entry<Long, String> entry : acknowledged.entrySet()) {
            assertEquals(entry.getValue(), logged.get(entry.getKey()), "acknowledged at " + entry.getKey());
        }
        System.out.printf("%d acknowledged, %d in the log, all acknowledged present%n", acknowledged.size(),
                logged.size());
    }

    private static int leader(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrap()))) {
            return describe(admin, topic).partitions().getFirst().leader().id();
        }
    }

    private static void awaitFullIsr(String topic) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrap()))) {
            while (true) {
                try {
                    if (describe(admin, topic).partitions().getFirst().isr().size() == 3) {
                        return;
                    }
                } catch (Exception e) {
                    // brokers still starting
                }
                assertTrue(System.nanoTime() < deadline, "the restarted brokers rejoined the ISR in time");
                Thread.sleep(500);
            }
        }
    }

    private static TopicDescription describe(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
    }
}
