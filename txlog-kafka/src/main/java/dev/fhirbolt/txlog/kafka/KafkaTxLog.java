package dev.fhirbolt.txlog.kafka;

import dev.fhirbolt.txlog.TxLog;
import dev.fhirbolt.txlog.TxLogReader;
import dev.fhirbolt.txlog.TxLogUnavailableException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * The transaction log on one Kafka topic with one partition: positions are the partition's offsets. Appends go
 * through one idempotent {@code acks=all} producer (so an acknowledged record is on every in-sync replica, at least
 * {@code min.insync.replicas} brokers, and the records of one instance keep their order); readers are consumers
 * without a group that assign the partition and seek. Thread-safe; open one per node and close it.
 *
 * <p>An append that fails with {@link TxLogUnavailableException} has an unknown outcome: the record may still be
 * logged (e.g. the acknowledgement was lost), so whatever applies the log must recognise a repeated command.
 */
public final class KafkaTxLog implements TxLog {

    private final KafkaTxLogSettings settings;
    private final TopicPartition partition;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;
    /**
     * Answer {@link #lastPosition()}: one ListOffsets request to the partition's leader, where the admin client first
     * asks for the topic's metadata every time (two round trips). A consumer is not thread-safe, so each call takes an
     * idle one or opens another: as many as calls run at once (a node's few look-up threads), each with its own
     * connection, so concurrent look-ups do not queue behind one another.
     */
    private final java.util.concurrent.ConcurrentLinkedDeque<KafkaConsumer<byte[], byte[]>> idleEnds =
            new java.util.concurrent.ConcurrentLinkedDeque<>();
    private final java.util.List<KafkaConsumer<byte[], byte[]>> allEnds = new java.util.ArrayList<>();
    private boolean closed;
    /** Completes the append futures in order, off Kafka's network thread, so callers' stages cannot stall it. */
    private final ExecutorService completions;

    private KafkaTxLog(KafkaTxLogSettings settings, Admin admin) {
        this.settings = settings;
        this.partition = new TopicPartition(settings.topic(), 0);
        this.admin = admin;
        this.producer = new KafkaProducer<>(KafkaClientConfigs.producer(settings));
        this.completions = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "txlog-kafka-completions-" + settings.topic());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Connects to the brokers and makes sure the topic exists (creating it with one partition and the settings'
     * replication). Throws {@link TxLogUnavailableException} when the brokers do not answer within the timeout,
     * {@link IllegalStateException} when the topic exists with more than one partition.
     */
    public static KafkaTxLog open(KafkaTxLogSettings settings) {
        Admin admin = Admin.create(KafkaClientConfigs.admin(settings));
        try {
            KafkaLogTopic.ensure(admin, settings);
            return new KafkaTxLog(settings, admin);
        } catch (RuntimeException e) {
            admin.close(java.time.Duration.ZERO);
            throw e;
        }
    }

    @Override
    public int maxRecordBytes() {
        return settings.maxRecordBytes();
    }

    @Override
    public CompletableFuture<Long> append(byte[] record) {
        if (record.length > settings.maxRecordBytes()) {
            throw new IllegalArgumentException("a log record is at most " + settings.maxRecordBytes()
                    + " bytes, not " + record.length);
        }
        CompletableFuture<Long> result = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), null, record),
                    (metadata, error) -> completions.execute(() -> {
                        if (error == null) {
                            result.complete(metadata.offset());
                        } else {
                            result.completeExceptionally(failure(error));
                        }
                    }));
        } catch (KafkaException e) {
            result.completeExceptionally(failure(e));
        }
        return result;
    }

    @Override
    public TxLogReader read(long after) {
        if (after < -1) {
            throw new IllegalArgumentException("read after a position of -1 or more, not " + after);
        }
        return new KafkaTxLogReader(new KafkaConsumer<>(KafkaClientConfigs.consumer(settings)), partition, after);
    }

    @Override
    public long lastPosition() {
        KafkaConsumer<byte[], byte[]> ends = idleEnds.pollFirst();
        if (ends == null) {
            ends = openEnds();
        }
        try {
            synchronized (ends) {
                Long end = ends.endOffsets(java.util.List.of(partition), settings.timeout()).get(partition);
                if (end == null) {
                    throw unavailable("reading the end of the log", new IllegalStateException("no end offset"));
                }
                return end - 1;
            }
        } catch (KafkaException | IllegalStateException e) {
            throw unavailable("reading the end of the log", e);
        } finally {
            idleEnds.addFirst(ends);
        }
    }

    private KafkaConsumer<byte[], byte[]> openEnds() {
        synchronized (allEnds) {
            if (closed) {
                throw new IllegalStateException("the log is closed");
            }
            KafkaConsumer<byte[], byte[]> ends = new KafkaConsumer<>(KafkaClientConfigs.logEnd(settings,
                    allEnds.size()));
            allEnds.add(ends);
            return ends;
        }
    }

    @Override
    public void close() {
        producer.close(settings.timeout());
        synchronized (allEnds) {
            closed = true;
            for (KafkaConsumer<byte[], byte[]> ends : allEnds) {
                synchronized (ends) {
                    ends.close(settings.timeout());
                }
            }
        }
        admin.close(settings.timeout());
        completions.shutdown();
    }

    private RuntimeException failure(Exception error) {
        if (error instanceof RecordTooLargeException) {
            return new IllegalArgumentException("Kafka refused the record as too large: " + error.getMessage(), error);
        }
        return unavailable("appending", error);
    }

    private TxLogUnavailableException unavailable(String doing, Throwable cause) {
        return new TxLogUnavailableException("Kafka log '" + settings.topic() + "' at " + settings.bootstrapServers()
                + ": " + doing + " failed within " + settings.timeout() + ": " + cause, cause);
    }
}
