package dev.fhirbolt.txlog.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The Kafka client settings the log's producer, readers and admin client run with, derived from the settings. */
final class KafkaClientConfigs {

    /** How long the producer waits to fill a batch: a little throughput for a little latency. */
    static final int LINGER_MS = 1;
    /**
     * How the producer compresses its batches. FHIR JSON shrinks several times with LZ4, so brokers write, replicate
     * and keep, and every node fetches, several times fewer bytes, for little CPU (LZ4 is the cheapest codec Kafka
     * has). The brokers keep the producer's compression; the record size limits still apply to the records as
     * written ({@code max.request.size} is checked before compression).
     */
    static final String COMPRESSION = "lz4";

    /**
     * How long the partition leader holds a reader's fetch when there is nothing new (Kafka's default). A fetch is
     * answered as soon as a record is there to read, so this delays nothing; it only sets how often an idle node asks
     * (2 fetches a second instead of the 10 that 100 ms made, for each node, all of them at the leader).
     */
    static final int FETCH_MAX_WAIT_MS = 500;

    private KafkaClientConfigs() {
    }

    /**
     * Idempotent, acks=all, at most 5 requests in flight (the most that keeps order with idempotence), batches
     * compressed, and every wait bounded by the settings' timeout: a record not acknowledged within it fails.
     */
    static Map<String, Object> producer(KafkaTxLogSettings settings) {
        Map<String, Object> config = common(settings, "-producer");
        int timeout = settings.timeoutMillis();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, COMPRESSION);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, settings.maxMessageBytes());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1, timeout - LINGER_MS));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        return config;
    }

    /** A plain consumer: no group, no committed offsets; the reader assigns the partition and seeks itself. */
    static Map<String, Object> consumer(KafkaTxLogSettings settings) {
        Map<String, Object> config = common(settings, "-reader");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Math.max(1024 * 1024, settings.maxMessageBytes()));
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, settings.timeoutMillis());
        return config;
    }

    /**
     * The {@code n}th consumer that only asks for the log's end ({@link KafkaTxLog#lastPosition()}), named apart from
     * readers and from the others.
     */
    static Map<String, Object> logEnd(KafkaTxLogSettings settings, int n) {
        Map<String, Object> config = consumer(settings);
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, settings.clientId() + "-log-end" + (n == 0 ? "" : "-" + n));
        return config;
    }

    static Map<String, Object> admin(KafkaTxLogSettings settings) {
        Map<String, Object> config = common(settings, "-admin");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, settings.timeoutMillis());
        return config;
    }

    private static Map<String, Object> common(KafkaTxLogSettings settings, String role) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, settings.clientId() + role);
        config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, settings.timeoutMillis());
        config.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return config;
    }
}
