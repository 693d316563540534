package dev.fhirbolt.app;

import java.time.Duration;
import java.util.List;

/**
 * How this server joins a cluster (docs/distributed.md): the Kafka brokers holding the transaction log, the Cassandra
 * nodes holding shared contents, this node's name, and how long the subscription delivery lease may go unrenewed
 * before another node takes delivery over. Present only when {@code kafka-bootstrap} is set.
 * {@code contentCacheBytes} bounds the memory of resource contents kept from the content store.
 */
public record ClusterConfig(
        String kafkaBootstrap,
        String kafkaTopic,
        List<String> cassandraContactPoints,
        String cassandraLocalDc,
        String cassandraKeyspace,
        String nodeId,
        ReadConsistency readConsistency,
        Duration applyTimeout,
        long contentCacheBytes,
        Duration subscriptionTakeover) {

    /** What a read on this node waits for before it is answered. */
    public enum ReadConsistency {
        /** Everything any node acknowledged before the read arrived (one log round trip per burst of reads). */
        STRONG,
        /** Whatever this node has applied so far (usually milliseconds behind; no wait). */
        EVENTUAL
    }
}
