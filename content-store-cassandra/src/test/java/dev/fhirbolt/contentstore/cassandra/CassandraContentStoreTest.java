package dev.fhirbolt.contentstore.cassandra;

import dev.fhirbolt.contentstore.ContentStore;
import dev.fhirbolt.contentstore.tck.ContentStoreContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The content-store contract against a real Cassandra node, at QUORUM. */
@ExtendWith(OneCassandraNode.class)
class CassandraContentStoreTest extends ContentStoreContract {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static CassandraSettings settings;
    private static CassandraContentStore store;

    @BeforeAll
    static void open(CassandraSettings node) {
        settings = node.withKeyspace("tck").withRequestTimeout(Duration.ofSeconds(20));
        store = CassandraContentStore.open(settings);
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

    /** A keyspace of replication factor 9: QUORUM needs 5 replicas, so a ring of up to 4 nodes cannot serve it. */
    @Override
    protected ContentStore unavailableStore() {
        return CassandraContentStore.open(settings.withKeyspace("tck_unavailable").withReplicationFactor(9)
                .withRequestTimeout(TIMEOUT));
    }

    @Override
    protected Duration failureDeadline() {
        return TIMEOUT.plusSeconds(2);
    }
}
