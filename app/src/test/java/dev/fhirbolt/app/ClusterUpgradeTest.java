package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.txlog.kafka.KafkaTxLog;
import dev.fhirbolt.txlog.kafka.KafkaTxLogSettings;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A rolling upgrade's safety net: a node that meets a log record of a kind it does not know (written by a newer
 * version) stops applying there, says so in /health (DOWN, naming the kind and that it must be upgraded), and never
 * skips the record: a later write stays unapplied on that node however long it runs.
 */
class ClusterUpgradeTest {

    @Test
    void aNodeStopsAtARecordKindItDoesNotKnowAndSaysSo() throws Exception {
        ClusterServices services = ClusterServices.small();
        String topic = "cluster-upgrade-" + System.nanoTime();
        Map<String, String> flags = new java.util.HashMap<>(services.nodeFlags("old", topic));
        flags.put("cluster-apply-timeout-ms", "2000");
        try (TestServer node = TestServer.start(Files.createTempDirectory("fhirbolt-node-old"), flags)) {
            assertEquals(201, node.send("POST", "/Patient", "{\"resourceType\":\"Patient\"}").statusCode());
            long unknownAt;
            try (KafkaTxLog log = KafkaTxLog.open(KafkaTxLogSettings.of(services.settings.get("kafka-bootstrap"))
                    .withTopic(topic))) {
                // format 1, kind 99: what a later version might write
                unknownAt = log.append(new byte[] {1, 99, 0, 0, 0, 0}).get(10, TimeUnit.SECONDS);
            }
            String health = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!health.contains("kind 99") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                health = node.get("/health").body();
            }
            assertTrue(health.contains("\"status\":\"DOWN\"") && health.contains("log record kind 99 is unknown")
                    && health.contains("upgrade this node"), health);

            HttpResponse<String> write = node.send("POST", "/Patient", "{\"resourceType\":\"Patient\"}");
            assertEquals(503, write.statusCode(), "a write behind the unknown record cannot be applied here: "
                    + write.body());
            Thread.sleep(1500); // the applier has tried again meanwhile
            HttpResponse<String> stillDown = node.get("/health");
            assertEquals(503, stillDown.statusCode());
            assertTrue(stillDown.body().contains("kind 99"), stillDown.body());
            long applied = Long.parseLong(stillDown.body().replaceAll("(?s).*\"appliedPosition\":(-?\\d+).*", "$1"));
            assertTrue(applied < unknownAt, "applied " + applied + ", the unknown record is at " + unknownAt);
        }
    }
}
