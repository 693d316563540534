package dev.fhirbolt.contentstore.cassandra;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real one-node Cassandra for this module's tests, started by bin/cluster once per test run (in
 * target/cassandra-cluster, port base from {@link ClusterScript#testPortBase()}) and brought down when the run ends.
 * With the system property {@code fhirbolt.cassandra.contactPoints} the tests use that cluster instead and start
 * nothing. Test methods and constructors get the node's settings as a {@link CassandraSettings} parameter.
 */
final class OneCassandraNode implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == CassandraSettings.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(OneCassandraNode.class))
                .getOrComputeIfAbsent(Running.class, ignored -> Running.start(), Running.class)
                .settings;
    }

    /** The node, brought down when JUnit closes the root store at the end of the run. */
    private record Running(ClusterScript cluster, CassandraSettings settings)
            implements ExtensionContext.Store.CloseableResource, AutoCloseable {

        static Running start() {
            String given = System.getProperty("fhirbolt.cassandra.contactPoints");
            if (given != null && !given.isBlank()) {
                return new Running(null, CassandraSettings.of(given, "datacenter1"));
            }
            ClusterScript cluster = new ClusterScript("cassandra-cluster", ClusterScript.testPortBase());
            cluster.up(1);
            return new Running(cluster, CassandraSettings.of(cluster.contactPoints(1), "datacenter1"));
        }

        @Override
        public void close() {
            if (cluster != null) {
                cluster.down();
            }
        }
    }
}
