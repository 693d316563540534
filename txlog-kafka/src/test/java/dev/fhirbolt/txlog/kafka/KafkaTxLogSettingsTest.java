package dev.fhirbolt.txlog.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KafkaTxLogSettingsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        KafkaTxLogSettings settings = KafkaTxLogSettings.of("127.0.0.1:9092");
        assertEquals("fhirbolt-tx", settings.topic());
        assertEquals(0, settings.replicationFactor());
        assertEquals(0, settings.minInsyncReplicas());
        assertEquals(Duration.ofSeconds(5), settings.timeout());
        assertEquals(1024 * 1024, settings.maxRecordBytes());
    }

    @Test
    void impossibleSettingsAreRefusedWithTheReason() {
        KafkaTxLogSettings settings = KafkaTxLogSettings.of("127.0.0.1:9092");
        assertThrows(IllegalArgumentException.class, () -> KafkaTxLogSettings.of(" "));
        assertThrows(IllegalArgumentException.class, () -> settings.withTopic(""));
        assertThrows(IllegalArgumentException.class, () -> settings.withReplication(2, 3));
        assertThrows(IllegalArgumentException.class, () -> settings.withReplication(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> settings.withTimeout(Duration.ofMillis(5)));
        assertThrows(IllegalArgumentException.class, () -> settings.withMaxRecordBytes(10));
        assertEquals(3, settings.withReplication(3, 2).replicationFactor());
    }
}
