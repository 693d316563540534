package dev.fhirbolt.contentstore.cassandra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.contentstore.ContentStore;
import dev.fhirbolt.contentstore.lz4.Lz4ContentStore;
import dev.fhirbolt.contentstore.tck.ContentStoreContract;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The content-store contract through the LZ4 decorator on a real Cassandra node (what a cluster node runs), and a
 * switch to it: values a node stored uncompressed before are read through it as they were.
 */
@ExtendWith(OneCassandraNode.class)
class Lz4CassandraContentStoreTest extends ContentStoreContract {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static CassandraSettings settings;
    private static CassandraContentStore cassandra;
    private static ContentStore store;

    @BeforeAll
    static void open(CassandraSettings node) {
        settings = node.withKeyspace("tck_lz4").withRequestTimeout(Duration.ofSeconds(20));
        cassandra = CassandraContentStore.open(settings);
        store = new Lz4ContentStore(cassandra);
    }

    @AfterAll
    static void close() {
        if (store != null) {
            store.close();
        }
    }

    @Override
    protected ContentStore store() {
        return store;
    }

    @Override
    protected ContentStore unavailableStore() {
        return new Lz4ContentStore(CassandraContentStore.open(settings.withKeyspace("tck_lz4_unavailable")
                .withReplicationFactor(9).withRequestTimeout(TIMEOUT)));
    }

    @Override
    protected Duration failureDeadline() {
        return TIMEOUT.plusSeconds(2);
    }

    @Test
    void valuesStoredUncompressedBeforeAreReadAsTheyWereAndNewOnesTakeFewerBytes() throws Exception {
        String run = UUID.randomUUID().toString();
        byte[] old = ("\u0001\u0004" + "{\"resourceType\":\"Patient\",\"active\":true}".repeat(200))
                .getBytes(StandardCharsets.UTF_8);
        byte[] oldKey = (run + "/old").getBytes(StandardCharsets.UTF_8);
        byte[] newKey = (run + "/new").getBytes(StandardCharsets.UTF_8);
        cassandra.put(oldKey, old).get(60, TimeUnit.SECONDS);
        assertArrayEquals(old, store.get(oldKey).get(60, TimeUnit.SECONDS).orElseThrow());

        store.put(newKey, old).get(60, TimeUnit.SECONDS);
        byte[] kept = cassandra.get(newKey).get(60, TimeUnit.SECONDS).orElseThrow();
        assertEquals((byte) 0xFF, kept[0], "the compressed format's marker");
        assertTrue(kept.length * 10 < old.length, old.length + " bytes kept as " + kept.length);
        assertArrayEquals(old, store.get(newKey).get(60, TimeUnit.SECONDS).orElseThrow());
    }
}
