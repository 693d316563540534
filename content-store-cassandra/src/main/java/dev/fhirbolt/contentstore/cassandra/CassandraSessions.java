package dev.fhirbolt.contentstore.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** Opens a driver session as the settings say: their timeout bounds connecting too, so nothing waits forever. */
final class CassandraSessions {

    private CassandraSessions() {
    }

    static CqlSession open(CassandraSettings settings) {
        Duration timeout = settings.requestTimeout();
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, timeout)
                .withString(DefaultDriverOption.REQUEST_CONSISTENCY, settings.consistency())
                .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, timeout)
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, timeout)
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, timeout)
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, timeout)
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30))
                .withStringList(DefaultDriverOption.METADATA_SCHEMA_REFRESHED_KEYSPACES, List.of(settings.keyspace()))
                .withBoolean(DefaultDriverOption.RECONNECT_ON_INIT, false)
                .withClass(DefaultDriverOption.RETRY_POLICY_CLASS, RetryOnceElsewhere.class)
                .withString(DefaultDriverOption.SESSION_NAME, "fhirbolt-content")
                .build();
        return CqlSession.builder()
                .addContactPoints(settings.contactPoints().stream().map(CassandraSessions::resolved).toList())
                .withLocalDatacenter(settings.localDatacenter())
                .withConfigLoader(config)
                .build();
    }

    private static InetSocketAddress resolved(InetSocketAddress address) {
        return address.isUnresolved() ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
    }
}
