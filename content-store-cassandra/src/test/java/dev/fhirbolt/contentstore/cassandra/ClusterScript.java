package dev.fhirbolt.contentstore.cassandra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the project's bin/cluster for a test: its own cluster directory and port base, output in a log file. */
final class ClusterScript {

    private final Path script;
    private final Path directory;
    private final int portBase;
    private final Path log;

    ClusterScript(String name, int portBase) {
        Path module = Path.of("").toAbsolutePath();
        this.script = module.resolveSibling("bin").resolve("cluster");
        this.directory = module.resolve("target").resolve(name);
        this.portBase = portBase;
        this.log = module.resolve("target").resolve(name + ".log");
    }

    /**
     * The port base for this module's test clusters: {@code -Dfhirbolt.cassandra.test.portBase}, or 21000. Not the
     * environment's FHIRBOLT_CLUSTER_PORT_BASE, which may be that of a cluster running beside the tests.
     */
    static int testPortBase() {
        return Integer.getInteger("fhirbolt.cassandra.test.portBase", 21000);
    }

    int cqlPort() {
        return portBase + 42;
    }

    String contactPoints(int nodes) {
        List<String> points = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            points.add("127.0.0." + i + ":" + cqlPort());
        }
        return String.join(",", points);
    }

    void up(int cassandraNodes) {
        run(900, "up", "--kafka", "0", "--cassandra", String.valueOf(cassandraNodes), "--fhirbolt", "0");
    }

    void kill(int node) {
        run(60, "kill", "cassandra", String.valueOf(node));
    }

    void start(int node) {
        run(600, "start", "cassandra", String.valueOf(node));
    }

    void down() {
        run(120, "down");
    }

    private void run(int seconds, String... arguments) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("FHIRBOLT_CLUSTER_DIR", directory.toString());
        builder.environment().put("FHIRBOLT_CLUSTER_PORT_BASE", String.valueOf(portBase));
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "$ bin/cluster " + String.join(" ", arguments) + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            Process process = builder.start();
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("bin/cluster " + arguments[0] + " took over " + seconds + " s; see " + log);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("bin/cluster " + String.join(" ", arguments) + " failed; see " + log
                        + ":\n" + tail());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running bin/cluster", e);
        }
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
