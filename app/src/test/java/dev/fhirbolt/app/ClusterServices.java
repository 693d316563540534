package dev.fhirbolt.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real Kafka brokers and Cassandra nodes for cluster tests, started once per test JVM by {@code bin/cluster} (the
 * same script developers use) under target/, and stopped when the JVM exits. Fhirbolt nodes are started by the tests
 * themselves, in this JVM, so that they can be stopped, restarted and inspected.
 */
final class ClusterServices {

    private static ClusterServices started;

    private final Path project;
    private final Map<String, String> environment;
    final Map<String, String> settings;

    private ClusterServices(Path project, Map<String, String> environment, Map<String, String> settings) {
        this.project = project;
        this.environment = environment;
        this.settings = settings;
    }

    /** One broker and one Cassandra node, shared by every cluster test of this JVM. */
    static synchronized ClusterServices small() throws Exception {
        if (started == null) {
            Path project = Path.of("").toAbsolutePath().getParent();
            Map<String, String> env = new LinkedHashMap<>();
            env.put("FHIRBOLT_CLUSTER_DIR", project.resolve("app/target/cluster-test").toString());
            env.put("FHIRBOLT_CLUSTER_PORT_BASE", System.getProperty("fhirbolt.cluster.portBase", "23000"));
            run(project, env, "down");
            run(project, env, "up", "--kafka", "1", "--cassandra", "1", "--fhirbolt", "0");
            Map<String, String> settings = new LinkedHashMap<>();
            for (String line : run(project, env, "env").split("\n")) {
                int eq = line.indexOf('=');
                if (line.startsWith("FHIRBOLT_") && eq > 0) {
                    settings.put(line.substring("FHIRBOLT_".length(), eq).toLowerCase().replace('_', '-'),
                            line.substring(eq + 1));
                }
            }
            started = new ClusterServices(project, env, settings);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    run(project, env, "down");
                } catch (Exception e) {
                    System.err.println("could not stop the test cluster: " + e);
                }
            }));
        }
        return started;
    }

    /** The settings of a Fhirbolt node of this cluster, as flags (node-id, kafka-bootstrap, ...). */
    Map<String, String> nodeFlags(String nodeId, String topic) {
        Map<String, String> flags = new LinkedHashMap<>(settings);
        flags.put("node-id", nodeId);
        flags.put("kafka-topic", topic);
        return flags;
    }

    /** {@code bin/cluster KIND...} against these services (to kill or restart one of them). */
    String cluster(String... args) throws Exception {
        return run(project, environment, args);
    }

    private static String run(Path project, Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", project.resolve("bin/cluster").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out;
        try (var in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("bin/cluster " + String.join(" ", args) + " failed:\n"
                    + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
