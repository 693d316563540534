package dev.fhirbolt.txlog.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.txlog.TxLogReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the Kafka log does with its topic, beyond the contract. */
class KafkaLogTopicTest {

    @RegisterExtension
    static final KafkaCluster KAFKA = KafkaCluster.withBrokers(1);

    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    @Test
    void aMissingTopicIsCreatedWithOnePartitionAndTheSettingsLimits() throws Exception {
        KafkaTxLogSettings settings = KafkaTxLogSettings.of(KAFKA.bootstrap()).withTopic("created-" + RUN)
                .withReplication(1, 1).withMaxRecordBytes(100_000);
        try (KafkaTxLog log = KafkaTxLog.open(settings); Admin admin = admin()) {
            assertEquals(1, admin.describeTopics(List.of(settings.topic())).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(settings.topic()).partitions().size());
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, settings.topic());
            Config config = admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
            assertEquals("1", config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value());
            assertEquals("-1", config.get(TopicConfig.RETENTION_MS_CONFIG).value());
            assertTrue(Integer.parseInt(config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value()) > 100_000);
            assertTrue(log.append(new byte[100_000]).join() >= 0);
        }
    }

    @Test
    void aTopicWithMorePartitionsIsRefusedForItHasNoTotalOrder() throws Exception {
        String topic = "split-" + RUN;
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(10, TimeUnit.SECONDS);
        }
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> KafkaTxLog.open(KafkaTxLogSettings.of(KAFKA.bootstrap()).withTopic(topic)));
        assertTrue(refused.getMessage().contains("exactly one"), refused.getMessage());
    }

    @Test
    void readingAfterAPositionTheLogNeverHadFailsInsteadOfSkipping() {
        KafkaTxLogSettings settings = KafkaTxLogSettings.of(KAFKA.bootstrap()).withTopic("short-" + RUN);
        try (KafkaTxLog log = KafkaTxLog.open(settings)) {
            log.append(new byte[] {1}).join();
            try (TxLogReader reader = log.read(41)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                assertThrows(IllegalStateException.class, () -> {
                    while (System.nanoTime() < deadline) {
                        reader.poll(Duration.ofMillis(200));
                    }
                });
            }
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrap()));
    }
}
