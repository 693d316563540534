package dev.fhirbolt.txlog.kafka;

import dev.fhirbolt.txlog.TxLog;
import dev.fhirbolt.txlog.tck.TxLogContract;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The transaction-log contract against one real Kafka broker; each test gets a topic of its own. */
class KafkaTxLogTest extends TxLogContract {

    @RegisterExtension
    static final KafkaCluster KAFKA = KafkaCluster.withBrokers(1);

    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    private KafkaTxLogSettings settings;

    @Override
    protected TxLog openFresh() {
        settings = KafkaTxLogSettings.of(KAFKA.bootstrap()).withTopic("tck-" + RUN + "-" + TOPICS.incrementAndGet())
                .withTimeout(Duration.ofSeconds(10)).withClientId("tck");
        return KafkaTxLog.open(settings);
    }

    @Override
    protected TxLog openAgain() {
        return KafkaTxLog.open(settings);
    }

    @Override
    protected TxLog openUnreachable() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        return KafkaTxLog.open(KafkaTxLogSettings.of("127.0.0.1:" + closed).withTimeout(unavailableTimeout()));
    }

    @Override
    protected Duration unavailableTimeout() {
        return Duration.ofSeconds(1);
    }
}
