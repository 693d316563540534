package dev.fhirbolt.app;

import dev.fhirbolt.cluster.ContentCache;
import dev.fhirbolt.contentstore.ContentStore;
import dev.fhirbolt.fhir.StampableJson;
import dev.fhirbolt.contentstore.cassandra.CassandraContentStore;
import dev.fhirbolt.contentstore.cassandra.CassandraSettings;
import dev.fhirbolt.contentstore.lz4.Lz4ContentStore;
import dev.fhirbolt.txlog.TxLog;
import dev.fhirbolt.txlog.kafka.KafkaTxLog;
import dev.fhirbolt.txlog.kafka.KafkaTxLogSettings;
import java.util.Optional;

/** The engines behind a cluster's contracts: Kafka for the transaction log, Cassandra for shared contents. */
final class ClusterEngines implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClusterEngines.class);
    private static final java.time.Duration OPEN_PATIENCE = java.time.Duration.ofSeconds(60);

    final TxLog log;
    final Optional<ContentStore> contents;
    /** Resource contents read from {@link #contents}, the recent ones in memory; present with a content store. */
    final Optional<ContentCache> cache;

    private ClusterEngines(TxLog log, Optional<ContentStore> contents, long cacheBytes) {
        this.log = log;
        this.contents = contents;
        this.cache = contents.map(c -> new ContentCache(c, StampableJson::ofEncoded, cacheBytes));
    }

    static ClusterEngines open(ClusterConfig config) {
        TxLog log = openLog(config);
        if (config.cassandraContactPoints().isEmpty()) {
            return new ClusterEngines(log, Optional.empty(), 0);
        }
        try {
            CassandraSettings defaults = CassandraSettings.of(String.join(",", config.cassandraContactPoints()),
                    config.cassandraLocalDc());
            CassandraSettings settings = new CassandraSettings(defaults.contactPoints(), defaults.localDatacenter(),
                    config.cassandraKeyspace(), defaults.replicationFactor(), defaults.consistency(),
                    defaults.requestTimeout());
            // values LZ4-compressed on this node: each replica writes, sends, flushes and compacts several times fewer
            // bytes (docs/distributed.md, "Compressed contents"); values stored uncompressed before read as they are
            return new ClusterEngines(log, Optional.of(new Lz4ContentStore(CassandraContentStore.open(settings))),
                    config.contentCacheBytes());
        } catch (IllegalArgumentException e) {
            log.close();
            throw new ConfigLoader.ConfigException("cassandra settings: " + e.getMessage());
        } catch (RuntimeException e) {
            log.close();
            throw new ConfigLoader.ConfigException("the Cassandra nodes at " + config.cassandraContactPoints()
                    + " do not answer (" + e.getMessage() + "); start them first (bin/cluster up) or fix"
                    + " cassandra-contact-points");
        }
    }

    /** Brokers that were just (re)started may need a while: a start-up tries for up to {@link #OPEN_PATIENCE}. */
    private static TxLog openLog(ClusterConfig config) {
        KafkaTxLogSettings settings;
        try {
            settings = KafkaTxLogSettings.of(config.kafkaBootstrap()).withTopic(config.kafkaTopic())
                    .withClientId(config.nodeId());
        } catch (IllegalArgumentException e) {
            throw new ConfigLoader.ConfigException("kafka settings: " + e.getMessage());
        }
        long deadline = System.nanoTime() + OPEN_PATIENCE.toNanos();
        while (true) {
            try {
                return KafkaTxLog.open(settings);
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw new ConfigLoader.ConfigException("the Kafka brokers at " + config.kafkaBootstrap()
                            + " do not answer (" + e.getMessage() + "); start them first (bin/cluster up) or fix"
                            + " kafka-bootstrap");
                }
                LOG.warn("the Kafka brokers at {} do not answer yet ({}); trying again", config.kafkaBootstrap(),
                        e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        contents.ifPresent(ContentStore::close);
        log.close();
    }
}
