package dev.fhirbolt.app;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * Two Fhirbolt nodes, a and b, of the test cluster's brokers and Cassandra node ({@link ClusterServices#small()}), on
 * a log topic of their own and started in this JVM: how the two-node cluster tests begin. {@link #close()} stops both
 * (a test that restarts b puts the new server in {@link #b}).
 */
final class ClusterNodePair implements AutoCloseable {

    final ClusterServices services;
    final String topic;
    final Map<String, String> flagsOfA;
    final Map<String, String> flagsOfB;
    final TestServer a;
    TestServer b;

    private ClusterNodePair(ClusterServices services, String topic, Map<String, String> flagsOfA,
            Map<String, String> flagsOfB, TestServer a, TestServer b) {
        this.services = services;
        this.topic = topic;
        this.flagsOfA = flagsOfA;
        this.flagsOfB = flagsOfB;
        this.a = a;
        this.b = b;
    }

    /** Nodes "a" and "b" on the topic {@code name-<nanos>}, each with the given flags added to the cluster's own. */
    static ClusterNodePair start(String name, Map<String, String> extraA, Map<String, String> extraB)
            throws Exception {
        ClusterServices services = ClusterServices.small();
        String topic = name + "-" + System.nanoTime();
        Map<String, String> flagsOfA = new HashMap<>(services.nodeFlags("a", topic));
        flagsOfA.putAll(extraA);
        Map<String, String> flagsOfB = new HashMap<>(services.nodeFlags("b", topic));
        flagsOfB.putAll(extraB);
        TestServer a = TestServer.start(Files.createTempDirectory("fhirbolt-" + name + "-a"), flagsOfA);
        try {
            TestServer b = TestServer.start(Files.createTempDirectory("fhirbolt-" + name + "-b"), flagsOfB);
            return new ClusterNodePair(services, topic, Map.copyOf(flagsOfA), Map.copyOf(flagsOfB), a, b);
        } catch (Exception | Error e) {
            a.close();
            throw e;
        }
    }

    static ClusterNodePair start(String name) throws Exception {
        return start(name, Map.of(), Map.of());
    }

    @Override
    public void close() {
        try {
            a.close();
        } finally {
            if (b != null) {
                b.close();
            }
        }
    }
}
