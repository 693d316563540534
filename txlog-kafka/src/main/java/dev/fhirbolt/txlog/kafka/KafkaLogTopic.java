package dev.fhirbolt.txlog.kafka;

import dev.fhirbolt.txlog.TxLogUnavailableException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Makes sure the log's topic exists with exactly one partition, creating it as the settings say. */
final class KafkaLogTopic {

    private KafkaLogTopic() {
    }

    static void ensure(Admin admin, KafkaTxLogSettings settings) {
        Optional<TopicDescription> existing = describe(admin, settings);
        if (existing.isEmpty() && create(admin, settings)) {
            return; // created here, with one partition
        }
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        while (existing.isEmpty() && System.nanoTime() < deadline) {
            pause(); // created by another node a moment ago: its metadata has not reached every broker yet
            existing = describe(admin, settings);
        }
        int partitions = existing.map(d -> d.partitions().size())
                .orElseThrow(() -> unavailable(settings, "describing", new IllegalStateException("no such topic")));
        if (partitions != 1) {
            throw new IllegalStateException("Kafka topic '" + settings.topic() + "' has " + partitions
                    + " partitions; the transaction log needs exactly one (one total order)");
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Optional<TopicDescription> describe(Admin admin, KafkaTxLogSettings settings) {
        try {
            return Optional.of(await(admin.describeTopics(List.of(settings.topic())).allTopicNames(), settings)
                    .get(settings.topic()));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw unavailable(settings, "describing", e.getCause());
        }
    }

    /** Whether this call created the topic (false: it exists already). */
    private static boolean create(Admin admin, KafkaTxLogSettings settings) {
        Optional<Short> replicas = settings.replicationFactor() == 0
                ? Optional.empty() : Optional.of((short) settings.replicationFactor());
        NewTopic topic = new NewTopic(settings.topic(), Optional.of(1), replicas).configs(configs(settings));
        try {
            await(admin.createTopics(List.of(topic)).all(), settings);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw unavailable(settings, "creating", e.getCause());
        }
    }

    private static Map<String, String> configs(KafkaTxLogSettings settings) {
        Map<String, String> configs = new java.util.HashMap<>(Map.of(
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(settings.maxMessageBytes()),
                TopicConfig.RETENTION_MS_CONFIG, "-1",
                TopicConfig.RETENTION_BYTES_CONFIG, "-1",
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, "false"));
        if (settings.minInsyncReplicas() > 0) {
            configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(settings.minInsyncReplicas()));
        }
        return configs;
    }

    private static <T> T await(org.apache.kafka.common.KafkaFuture<T> future, KafkaTxLogSettings settings)
            throws ExecutionException {
        try {
            return future.get(settings.timeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw unavailable(settings, "reaching", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(settings, "reaching", e);
        }
    }

    private static TxLogUnavailableException unavailable(KafkaTxLogSettings settings, String doing, Throwable e) {
        return new TxLogUnavailableException("Kafka log: " + doing + " topic '" + settings.topic() + "' at "
                + settings.bootstrapServers() + " failed within " + settings.timeout() + ": " + e, e);
    }
}
