package dev.fhirbolt.contentstore.cassandra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CassandraSettingsTest {

    @Test
    void defaultsForContactPoints() {
        CassandraSettings settings = CassandraSettings.of("127.0.0.1:22042, 127.0.0.2:22042,cassandra.example", "dc1");
        assertEquals(List.of(InetSocketAddress.createUnresolved("127.0.0.1", 22042),
                InetSocketAddress.createUnresolved("127.0.0.2", 22042),
                InetSocketAddress.createUnresolved("cassandra.example", 9042)), settings.contactPoints());
        assertEquals("dc1", settings.localDatacenter());
        assertEquals("fhirbolt", settings.keyspace());
        assertEquals(0, settings.replicationFactor());
        assertEquals("QUORUM", settings.consistency());
        assertEquals(Duration.ofSeconds(5), settings.requestTimeout());
    }

    @Test
    void badSettingsAreNamed() {
        assertMessage("host:port", () -> CassandraSettings.of("127.0.0.1:x", "dc1"));
        assertMessage("host:port", () -> CassandraSettings.of("127.0.0.1:70000", "dc1"));
        assertMessage("at least one contact point", () -> CassandraSettings.of(" , ", "dc1"));
        assertMessage("data centre", () -> CassandraSettings.of("h:1", " "));
        CassandraSettings ok = CassandraSettings.of("h:1", "dc1");
        assertMessage("keyspace 'fhir-bolt'", () -> ok.withKeyspace("fhir-bolt"));
        assertMessage("replication factor", () -> ok.withReplicationFactor(-1));
        assertMessage("consistency 'TWO'", () -> ok.withConsistency("TWO"));
        assertMessage("timeout", () -> ok.withRequestTimeout(Duration.ZERO));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable executable) {
        String message = assertThrows(IllegalArgumentException.class, executable).getMessage();
        assertTrue(message.contains(part), message);
    }
}
