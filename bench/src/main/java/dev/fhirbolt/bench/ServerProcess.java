package dev.fhirbolt.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Fhirbolt server the benchmark starts itself ({@code java -Xmx.. -jar fhirbolt.jar serve}), so that it knows the
 * pid (for RSS and CPU) and can time the start-up from process creation to the first good answers.
 */
public final class ServerProcess implements AutoCloseable {

    /** Timings of one start, in milliseconds from just before the process was created; -1 when not measured. */
    public record Startup(double toHealthMs, double toFirstReadMs, long idleRssBytes, String readProbe) {
    }

    private final Process process;
    private final long createdNanos;
    private final int port;
    private final Path log;

    private ServerProcess(Process process, long createdNanos, int port, Path log) {
        this.process = process;
        this.createdNanos = createdNanos;
        this.port = port;
        this.log = log;
    }

    /**
     * How the server is secured: development mode (no tokens: the benchmark measures the server itself) or SMART
     * tokens and scopes enforced; the admin API takes the password either way.
     */
    public record Security(boolean smart, String adminPassword) {
        public static final Security OFF = new Security(false, null);
    }

    /**
     * Starts {@code java [jvmArgs] -jar serverJar serve --port P --data-dir dataDir}, output appended to log. With an
     * admin password (the enforce-* scenarios) the audit trail is off unless {@code FHIRBOLT_AUDIT} says otherwise,
     * so that they measure enforcement alone (the audit trail's cost is measured on its own).
     */
    public static ServerProcess start(Path java, List<String> jvmArgs, Path serverJar, Path dataDir, Path log,
            Security security) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", serverJar.toString(), "serve", "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--data-dir", dataDir.toString()));
        command.addAll(List.of("--security", security.smart() ? "smart" : "off"));
        if (security.adminPassword() != null) {
            command.addAll(List.of("--admin-password", security.adminPassword(), "--demo-setup", "false"));
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (security.adminPassword() != null) {
            pb.environment().putIfAbsent("FHIRBOLT_AUDIT", "false");
        }
        long created = System.nanoTime();
        Process p = pb.start();
        ServerProcess server = new ServerProcess(p, created, port, log);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (p.isAlive()) {
                p.destroy(); // SIGTERM: the server flushes and closes its storage
            }
        }, "bench-stop-server"));
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public long pid() {
        return process.pid();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Polls {@code GET /health} every 5 ms until it answers 200, then, when {@code readProbe} is given (e.g.
     * {@code Patient/123}), polls that until it answers 200; after {@code settleMillis} of idleness reads the RSS.
     */
    public Startup awaitReady(BenchClient probe, String readProbe, long settleMillis, long timeoutMillis)
            throws Exception {
        long deadline = createdNanos + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        double health = pollUntilOk(probe, "health", deadline);
        double read = readProbe == null ? -1 : pollUntilOk(probe, readProbe, deadline);
        Thread.sleep(settleMillis);
        return new Startup(health, read, ProcStats.rssBytes(pid()), readProbe);
    }

    private double pollUntilOk(BenchClient probe, String path, long deadline) throws Exception {
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with code " + process.exitValue()
                        + " while starting; see " + log);
            }
            try {
                BenchClient.Result r = probe.call(Call.get(path));
                if (r.status() == 200) {
                    return (System.nanoTime() - createdNanos) / 1e6;
                }
                last = "HTTP " + r.status();
            } catch (Exception e) {
                last = e.getClass().getSimpleName(); // not listening yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("GET /" + path + " did not answer 200 in time (last: " + last + "); see "
                + log);
    }

    /** SIGTERM, then waits for the graceful shutdown; returns the milliseconds it took (or -1 if it had to kill). */
    public double stop(long timeoutMillis) throws InterruptedException {
        long started = System.nanoTime();
        process.destroy();
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            return -1;
        }
        return (System.nanoTime() - started) / 1e6;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop(30_000);
        }
    }
}
