package dev.fhirbolt.contentstore.cassandra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.fhirbolt.contentstore.ContentStoreUnavailableException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a reader sees of a put that has not finished (or failed half-way), and the keyspace this store creates. */
@ExtendWith(OneCassandraNode.class)
class PartialValueTest {

    private static CassandraSettings settings;
    private static CassandraContentStore store;
    private static CqlSession session;

    @BeforeAll
    static void open(CassandraSettings node) {
        settings = node.withKeyspace("partial");
        store = CassandraContentStore.open(settings);
        session = CassandraSessions.open(settings);
    }

    @AfterAll
    static void close() {
        store.close();
        session.close();
    }

    private static void insert(String cql, Object... values) {
        session.execute(SimpleStatement.newInstance(cql.replace("{table}", "partial.content"), values));
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void chunksWithoutTheHeaderAreNoValue() {
        insert("INSERT INTO {table} (key, chunk, data) VALUES (?, ?, ?)", bytes("k1"), 0, bytes("first part"));
        assertTrue(store.get("k1".getBytes(StandardCharsets.UTF_8)).join().isEmpty());
    }

    @Test
    void aHeaderWithMissingChunksIsNeverReturnedAsAValue() {
        insert("INSERT INTO {table} (key, chunk, data) VALUES (?, ?, ?)", bytes("k2"), 0, bytes("first"));
        insert("INSERT INTO {table} (key, chunk, data, chunks, size) VALUES (?, ?, ?, ?, ?)", bytes("k2"), 2, bytes("third"),
                3, 15L);
        CompletionException e = assertThrows(CompletionException.class,
                () -> store.get("k2".getBytes(StandardCharsets.UTF_8)).join());
        assertInstanceOf(ContentStoreUnavailableException.class, e.getCause());
    }

    @Test
    void keyspaceIsCreatedWithOneReplicaPerNodeUpToThree() {
        Map<String, String> replication = session.getMetadata().getKeyspace("partial").orElseThrow().getReplication();
        long nodes = session.getMetadata().getNodes().size();
        assertEquals(String.valueOf(Math.min(3, nodes)), replication.get("datacenter1"), replication.toString());
    }
}
