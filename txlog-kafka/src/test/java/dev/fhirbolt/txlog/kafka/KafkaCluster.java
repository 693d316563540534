package dev.fhirbolt.txlog.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real Kafka brokers for tests, started with {@code bin/cluster up --kafka N} (the development cluster's own
 * plug-in) in {@code target/kafka-N} and stopped with {@code bin/cluster down} when the test run ends. One cluster
 * per broker count is shared by every test class of the run. Ports: base {@code fhirbolt.test.kafka.portBase}
 * (default 21000; plus 100 for 3 brokers), moved on by 10 while a port is taken. Brokers run with C1 only (less CPU
 * to start) unless throughput is measured.
 */
final class KafkaCluster implements BeforeAllCallback {

    private final int brokers;
    private Running running;

    private KafkaCluster(int brokers) {
        this.brokers = brokers;
    }

    static KafkaCluster withBrokers(int brokers) {
        return new KafkaCluster(brokers);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        running = context.getRoot().getStore(ExtensionContext.Namespace.create(KafkaCluster.class))
                .getOrComputeIfAbsent("brokers-" + brokers, key -> Running.start(brokers), Running.class);
    }

    String bootstrap() {
        return running.bootstrap;
    }

    /** {@code bin/cluster kill|stop|start kafka I}. */
    void node(String action, int node) {
        running.cluster(action, "kafka", Integer.toString(node));
    }

    /** Whether node I has logged that it serves since its last start. */
    boolean serves(int node) throws IOException {
        Path log = running.dir.resolve("kafka-" + node).resolve("log");
        return Files.exists(log) && Files.readString(log, StandardCharsets.ISO_8859_1).contains("Kafka Server started");
    }

    static final class Running implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

        private final Path dir;
        private final int portBase;
        private String bootstrap;
        private boolean down;

        private Running(Path dir, int portBase) {
            this.dir = dir;
            this.portBase = portBase;
        }

        static Running start(int brokers) {
            int base = Integer.getInteger("fhirbolt.test.kafka.portBase", 21000) + (brokers > 1 ? 100 : 0);
            for (int tries = 0; tries < 10 && !free(base); tries++) {
                base += 10;
            }
            Path dir = ROOT.resolve("txlog-kafka/target/kafka-" + brokers);
            killLeftovers(dir);
            deleteTree(dir);
            Running running = new Running(dir, base);
            Runtime.getRuntime().addShutdownHook(new Thread(running::close));
            long start = System.nanoTime();
            running.cluster("up", "--kafka", Integer.toString(brokers), "--cassandra", "0", "--fhirbolt", "0");
            String env = running.cluster("env");
            running.bootstrap = env.lines().filter(line -> line.startsWith("FHIRBOLT_KAFKA_BOOTSTRAP="))
                    .map(line -> line.substring(line.indexOf('=') + 1)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("bin/cluster env printed no bootstrap: " + env));
            System.out.printf("Kafka: %d broker(s) at %s up in %.1f s%n", brokers, running.bootstrap,
                    (System.nanoTime() - start) / 1e9);
            return running;
        }

        /** Runs bin/cluster with this cluster's directory and ports; its output, failing when it fails. */
        synchronized String cluster(String... args) {
            List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("bin/cluster").toString()));
            command.addAll(List.of(args));
            try {
                Files.createDirectories(dir.getParent());
                Path errors = Files.createTempFile(dir.getParent(), "cluster-", ".err");
                ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
                        .redirectError(errors.toFile());
                Map<String, String> env = builder.environment();
                env.put("FHIRBOLT_CLUSTER_DIR", dir.toString());
                env.put("FHIRBOLT_CLUSTER_PORT_BASE", Integer.toString(portBase));
                if (System.getProperty("fhirbolt.test.kafka.bench") == null) {
                    env.putIfAbsent("FHIRBOLT_KAFKA_JVM_OPTS", "-XX:TieredStopAtLevel=1"); // less CPU to start
                }
                Process process = builder.start();
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(300, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("bin/cluster " + String.join(" ", args) + " did not finish");
                }
                String err = Files.readString(errors);
                Files.delete(errors);
                if (process.exitValue() != 0) {
                    throw new IllegalStateException("bin/cluster " + String.join(" ", args) + " failed: " + err);
                }
                return out;
            } catch (IOException e) {
                throw new IllegalStateException("cannot run bin/cluster", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted running bin/cluster", e);
            }
        }

        @Override
        public synchronized void close() {
            if (!down) {
                down = true;
                cluster("down");
            }
        }

        private static boolean free(int base) {
            for (int offset : new int[] {92, 93}) {
                try (ServerSocket socket = new ServerSocket()) {
                    socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), base + offset));
                } catch (IOException e) {
                    return false;
                }
            }
            return true;
        }

        /** Brokers a run that was killed before it could stop them left running: those whose command names dir. */
        private static void killLeftovers(Path dir) {
            if (!Files.isDirectory(dir)) {
                return;
            }
            try (Stream<Path> nodes = Files.list(dir)) {
                for (Path pidFile : nodes.map(node -> node.resolve("pid")).filter(Files::isRegularFile).toList()) {
                    ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
                            .filter(process -> process.info().commandLine()
                                    .map(line -> line.contains(dir.toString())).orElse(false))
                            .ifPresent(process -> {
                                process.destroyForcibly();
                                process.onExit().completeOnTimeout(process, 10, TimeUnit.SECONDS).join();
                            });
                }
            } catch (IOException | NumberFormatException e) {
                throw new IllegalStateException("cannot read the pid files in " + dir, e);
            }
        }

        private static void deleteTree(Path dir) {
            if (!Files.exists(dir)) {
                return;
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot clear " + dir, e);
            }
        }
    }
}
