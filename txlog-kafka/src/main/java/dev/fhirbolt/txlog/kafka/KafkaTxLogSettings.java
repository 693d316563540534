package dev.fhirbolt.txlog.kafka;

import java.time.Duration;
import java.util.Objects;

/**
 * How a node reaches the Kafka log.
 *
 * @param bootstrapServers  {@code host:port[,host:port...]} of some brokers of the cluster
 * @param topic             the log's topic; it has exactly one partition and is created if missing
 * @param replicationFactor replicas of the topic when this creates it; {@code 0} takes the brokers'
 *                          {@code default.replication.factor}. Production: 3
 * @param minInsyncReplicas the topic's {@code min.insync.replicas} when this creates it; {@code 0} takes the
 *                          brokers' default. Production: 2 (an append is acknowledged once two replicas have it)
 * @param timeout           how long an append, {@link KafkaTxLog#lastPosition()} or opening waits for the brokers
 *                          before failing with {@code TxLogUnavailableException}
 * @param maxRecordBytes    the largest record taken; the topic's {@code max.message.bytes} and the producer's
 *                          {@code max.request.size} are set a little above it
 * @param clientId          names this node's clients in the brokers' logs and metrics
 */
public record KafkaTxLogSettings(String bootstrapServers, String topic, int replicationFactor,
        int minInsyncReplicas, Duration timeout, int maxRecordBytes, String clientId) {

    public static final String DEFAULT_TOPIC = "fhirbolt-tx";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

    public KafkaTxLogSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(clientId, "clientId");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("the Kafka bootstrap servers are empty");
        }
        if (topic.isBlank()) {
            throw new IllegalArgumentException("the Kafka topic is empty");
        }
        if (replicationFactor < 0 || replicationFactor > Short.MAX_VALUE || minInsyncReplicas < 0) {
            throw new IllegalArgumentException("replication factor and min.insync.replicas are 0 (brokers' default)"
                    + " or positive, not " + replicationFactor + " and " + minInsyncReplicas);
        }
        if (replicationFactor > 0 && minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("min.insync.replicas " + minInsyncReplicas
                    + " is more than the replication factor " + replicationFactor);
        }
        if (timeout.toMillis() < 100) {
            throw new IllegalArgumentException("the Kafka timeout is at least 100 ms, not " + timeout);
        }
        if (maxRecordBytes < 1024 || maxRecordBytes > 64 * 1024 * 1024) {
            throw new IllegalArgumentException("maxRecordBytes is 1 KiB to 64 MiB, not " + maxRecordBytes);
        }
    }

    /** The defaults: topic {@value #DEFAULT_TOPIC}, the brokers' replication settings, 5 s, 1 MiB records. */
    public static KafkaTxLogSettings of(String bootstrapServers) {
        return new KafkaTxLogSettings(bootstrapServers, DEFAULT_TOPIC, 0, 0, DEFAULT_TIMEOUT,
                DEFAULT_MAX_RECORD_BYTES, "fhirbolt");
    }

    public KafkaTxLogSettings withTopic(String newTopic) {
        return new KafkaTxLogSettings(bootstrapServers, newTopic, replicationFactor, minInsyncReplicas, timeout,
                maxRecordBytes, clientId);
    }

    public KafkaTxLogSettings withReplication(int newReplicationFactor, int newMinInsyncReplicas) {
        return new KafkaTxLogSettings(bootstrapServers, topic, newReplicationFactor, newMinInsyncReplicas, timeout,
                maxRecordBytes, clientId);
    }

    public KafkaTxLogSettings withTimeout(Duration newTimeout) {
        return new KafkaTxLogSettings(bootstrapServers, topic, replicationFactor, minInsyncReplicas, newTimeout,
                maxRecordBytes, clientId);
    }

    public KafkaTxLogSettings withMaxRecordBytes(int newMaxRecordBytes) {
        return new KafkaTxLogSettings(bootstrapServers, topic, replicationFactor, minInsyncReplicas, timeout,
                newMaxRecordBytes, clientId);
    }

    public KafkaTxLogSettings withClientId(String newClientId) {
        return new KafkaTxLogSettings(bootstrapServers, topic, replicationFactor, minInsyncReplicas, timeout,
                maxRecordBytes, newClientId);
    }

    /** Room for Kafka's batch and record headers above {@link #maxRecordBytes()}. */
    int maxMessageBytes() {
        return maxRecordBytes + 4096;
    }

    int timeoutMillis() {
        return Math.toIntExact(Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }
}
