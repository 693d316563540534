package dev.fhirbolt.contentstore.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import dev.fhirbolt.contentstore.ContentStoreUnavailableException;
import java.time.Duration;

/**
 * The keyspace and the one table, created when missing. A value is one partition: its chunks are clustering rows
 * ({@code chunk}, {@code data}); the static columns {@code chunks} and {@code size} are the header, written last, so a
 * partition without them is a put still under way (or one that failed) and reads as absent.
 */
final class ContentTable {

    static final String NAME = "content";
    private static final Duration DDL_TIMEOUT = Duration.ofSeconds(60);

    private ContentTable() {
    }

    static void create(CqlSession session, CassandraSettings settings) {
        String keyspace = settings.keyspace();
        boolean exists = session.getMetadata().getKeyspace(keyspace)
                .flatMap(k -> k.getTable(NAME)).isPresent();
        if (exists) {
            return;
        }
        int factor = settings.replicationFactor() > 0 ? settings.replicationFactor() : automaticFactor(session, settings);
        ddl(session, "CREATE KEYSPACE IF NOT EXISTS " + keyspace + " WITH replication = "
                + "{'class': 'NetworkTopologyStrategy', '" + settings.localDatacenter().replace("'", "''") + "': " + factor + "}");
        ddl(session, "CREATE TABLE IF NOT EXISTS " + keyspace + "." + NAME + " ("
                + "key blob, chunk int, data blob, chunks int static, size bigint static, "
                + "PRIMARY KEY (key, chunk))");
    }

    /** min(3, the nodes of the local data centre the driver knows of, up or down). */
    static int automaticFactor(CqlSession session, CassandraSettings settings) {
        long nodes = session.getMetadata().getNodes().values().stream()
                .map(Node::getDatacenter)
                .filter(settings.localDatacenter()::equals)
                .count();
        return (int) Math.max(1, Math.min(3, nodes));
    }

    /** Runs a schema change and waits (bounded) until every node has it, so statements prepare on any node. */
    private static void ddl(CqlSession session, String cql) {
        boolean agreed = session.execute(SimpleStatement.newInstance(cql).setTimeout(DDL_TIMEOUT))
                .getExecutionInfo().isSchemaInAgreement();
        long deadline = System.nanoTime() + DDL_TIMEOUT.toNanos();
        while (!agreed && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Cassandra's nodes to agree on the schema", e);
            }
            agreed = session.checkSchemaAgreement();
        }
        if (!agreed) {
            throw new ContentStoreUnavailableException("Cassandra's nodes did not agree on the schema within "
                    + DDL_TIMEOUT.toSeconds() + " s after: " + cql, null);
        }
    }
}
