package dev.fhirbolt.txlog.kafka;

import dev.fhirbolt.txlog.TxLogReader;
import dev.fhirbolt.txlog.TxLogRecord;
import dev.fhirbolt.txlog.TxLogUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/** Reads the log's partition from a position on, with a consumer of its own (no group, nothing committed). */
final class KafkaTxLogReader implements TxLogReader {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TopicPartition partition;

    KafkaTxLogReader(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, long after) {
        this.consumer = consumer;
        this.partition = partition;
        consumer.assign(List.of(partition));
        if (after < 0) {
            consumer.seekToBeginning(List.of(partition));
        } else {
            consumer.seek(partition, after + 1);
        }
    }

    @Override
    public List<TxLogRecord> poll(Duration timeout) {
        List<TxLogRecord> records = new ArrayList<>();
        try {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout).records(partition)) {
                byte[] payload = record.value() == null ? new byte[0] : record.value();
                records.add(new TxLogRecord(record.offset(), payload));
            }
        } catch (OffsetOutOfRangeException e) {
            throw new IllegalStateException("the Kafka log '" + partition.topic() + "' has no record at "
                    + e.offsetOutOfRangePartitions() + ": it was deleted by retention or the topic was recreated;"
                    + " this node must start again from a checkpoint", e);
        } catch (KafkaException e) {
            throw new TxLogUnavailableException("reading the Kafka log '" + partition.topic() + "' failed: " + e, e);
        }
        return records;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(1));
    }
}
