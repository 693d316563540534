package dev.fhirbolt.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar fhirbolt-bench.jar}: starts a Fhirbolt server (or targets one with {@code --server}), runs the
 * scenarios at each concurrency, and prints and saves the report. {@code bench/run.sh} is the usual way in.
 */
@Command(name = "fhirbolt-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Closed-loop HTTP benchmark of a Fhirbolt server.")
public final class BenchMain implements Callable<Integer> {

    @Option(names = "--server", paramLabel = "URL",
            description = "Benchmark this running server instead of starting one (no start-up figures).")
    String serverUrl;
    @Option(names = "--server-pid", paramLabel = "PID",
            description = "With --server: pid of that server process, for RSS and CPU figures.")
    long serverPid = -1;
    @Option(names = "--server-jar", paramLabel = "JAR", defaultValue = "app/target/fhirbolt.jar",
            description = "Server jar to start (default: ${DEFAULT-VALUE}).")
    Path serverJar;
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Empty directory for the started server's data (required unless --server).")
    Path dataDir;
    @Option(names = "--server-pid-file", paramLabel = "FILE",
            description = "Write the started server's pid here (lets a wrapper script clean up after a crash).")
    Path pidFile;
    @Option(names = "--java", paramLabel = "JAVA", description = "java binary for the server (default: this one).")
    Path java;
    @Option(names = "--server-jvm-args", paramLabel = "ARGS", defaultValue = "-Xmx1g",
            description = "JVM options of the started server, space separated (default: ${DEFAULT-VALUE}).")
    String serverJvmArgs;
    @Option(names = "--scenarios", split = ",", defaultValue = "create,read",
            description = "Scenarios to run, in order; enforce runs the four enforce-* scenarios there and back "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> scenarios;
    @Option(names = "--clients", split = ",", defaultValue = "1,16,64",
            description = "Concurrent clients of each step (default: ${DEFAULT-VALUE}).")
    List<Integer> clients;
    @Option(names = "--warmup", defaultValue = "5s", description = "Warm-up of each step (default: ${DEFAULT-VALUE}).")
    String warmup;
    @Option(names = "--duration", defaultValue = "15s",
            description = "Measured time of each step (default: ${DEFAULT-VALUE}).")
    String duration;
    @Option(names = "--transport", defaultValue = "raw",
            description = "raw (a thread and a minimal blocking HTTP/1.1 connection a client; least CPU) or jetty "
                    + "(Jetty's async HttpClient) (default: ${DEFAULT-VALUE}).")
    String transport;
    @Option(names = "--read-ids", defaultValue = "5000",
            description = "Resources created before the read scenario (default: ${DEFAULT-VALUE}).")
    int readIds;
    @Option(names = "--read-header", paramLabel = "NAME:VALUE",
            description = "One more header on every request of the read scenario, e.g. 'X-Fhirbolt-Position: 42' "
                    + "(a cluster's read-your-writes position).")
    String readHeader;
    @Option(names = "--synthea", paramLabel = "DIR",
            description = "Synthea bundles (scripts/synthea.sh OUT: OUT/fhir) the search-* scenarios load and query.")
    Path synthea;
    @Option(names = "--synthea-patients", defaultValue = "0",
            description = "Load only this many patient bundles, evenly spread over the file names (0: all).")
    int syntheaPatients;
    @Option(names = "--synthea-query-patients", defaultValue = "0",
            description = "Query only the patients of this many of the loaded bundles, evenly spread (0: all); "
                    + "the same number on a larger set sends the same queries.")
    int syntheaQueryPatients;
    @Option(names = "--security", defaultValue = "auto",
            description = "Security mode of the started server: auto (smart for the enforce-* scenarios, else off), "
                    + "smart or off; enforce-* with off measures the same requests without any enforcement "
                    + "(default: ${DEFAULT-VALUE}).")
    String security;
    @Option(names = "--admin-password", paramLabel = "PASSWORD",
            description = "With --server: the admin password of that server, for the enforce-* scenarios (a started "
                    + "server gets a random one).")
    String adminPassword;
    @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated resources.")
    long seed;
    @Option(names = "--settle", defaultValue = "2s",
            description = "Idle time after start-up before reading the idle RSS (default: ${DEFAULT-VALUE}).")
    String settle;
    @Option(names = "--no-restart", description = "Skip the restart with data (start-up to first read).")
    boolean noRestart;
    @Option(names = "--results", paramLabel = "DIR", defaultValue = "bench/results",
            description = "Where the JSON and Markdown reports go (default: ${DEFAULT-VALUE}).")
    Path results;
    @Option(names = "--note", description = "A remark to keep with the results (repeatable).")
    List<String> notes = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    /** Reads {@code 500ms}, {@code 15s}, {@code 2m} or plain seconds. */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
        }
        if (t.endsWith("m")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000));
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Duration warm = duration(warmup);
        Duration measured = duration(duration);
        long settleMillis = duration(settle).toMillis();
        if (serverUrl == null) {
            adminPassword = UUID.randomUUID().toString();
        }
        List<Scenario> toRun = new ArrayList<>();
        for (String given : scenarios) {
            for (String name : Scenarios.expand(given.trim())) {
                toRun.add(Scenarios.create(name, new Scenarios.Settings(seed, readIds, synthea, syntheaPatients,
                        syntheaQueryPatients, adminPassword)));
            }
        }
        if (readHeader != null) {
            if (readHeader.indexOf(':') < 1) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--read-header takes NAME:VALUE, not '"
                        + readHeader + "'");
            }
            for (Scenario scenario : toRun) {
                if (scenario instanceof ReadScenario read) {
                    read.withHeader(readHeader);
                }
            }
        }
        boolean tokens = toRun.stream().anyMatch(Scenario::needsSmart);
        if (tokens && !toRun.stream().allMatch(Scenario::needsSmart)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "the enforce-* scenarios run against a"
                    + " server with SMART security, the others against one in development mode: run them separately");
        }
        boolean smart = switch (security) {
            case "auto" -> tokens;
            case "smart" -> true;
            case "off" -> false;
            default -> throw new CommandLine.ParameterException(new CommandLine(this),
                    "--security must be auto, smart or off");
        };
        ServerProcess.Security serverSecurity = new ServerProcess.Security(smart, tokens ? adminPassword : null);
        int maxClients = clients.stream().mapToInt(Integer::intValue).max().orElse(1);
        MachineInfo machine = MachineInfo.current();
        String date = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME).substring(0, 19);

        ServerProcess server = null;
        ServerProcess.Startup fresh = null;
        ServerProcess.Startup restart = null;
        double stopMillis = -1;
        long restartResources = 0;
        String base;
        long pid;
        String serverDescription;
        String serverJvm = null;
        Path log = null;
        Path javaBin = java != null ? java : Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> jvmArgs = List.of(serverJvmArgs.trim().split("\\s+"));
        try (BenchClient probe = new BenchClient("http://127.0.0.1", 1, 2_000)) {
            if (serverUrl != null) {
                base = serverUrl;
                pid = serverPid;
                serverDescription = serverUrl + " (already running)";
            } else {
                if (dataDir == null) {
                    throw new CommandLine.ParameterException(new CommandLine(this),
                            "--data-dir is required when the benchmark starts the server");
                }
                Files.createDirectories(dataDir);
                Files.createDirectories(results);
                log = results.resolve("server.log").toAbsolutePath();
                Files.deleteIfExists(log);
                serverJvm = javaVersion(javaBin) + " " + String.join(" ", jvmArgs);
                out.printf("starting %s -jar %s on an empty data dir %s (log: %s)%n", javaBin, serverJar, dataDir,
                        log);
                server = ServerProcess.start(javaBin, jvmArgs, serverJar, dataDir, log, serverSecurity);
                writePid(server);
                try (BenchClient local = new BenchClient(server.baseUrl(), 1, 2_000)) {
                    fresh = server.awaitReady(local, null, settleMillis, 60_000);
                }
                base = server.baseUrl();
                pid = server.pid();
                String fs = Files.getFileStore(dataDir).type();
                serverDescription = base + " started by the benchmark from " + serverJar + ", data dir on " + fs;
                if (fs.contains("tmpfs") || fs.contains("ramfs")) {
                    notes.add("the data dir is in memory (" + fs + "): fsync costs nothing there, so create figures "
                            + "overstate durable throughput; use a data dir on a disk");
                }
                out.printf(Locale.ROOT, "up: %.0f ms to /health, idle RSS %s MB (pid %d)%n", fresh.toHealthMs(),
                        Report.mb(fresh.idleRssBytes()), pid);
            }

            List<StepResult> steps = new ArrayList<>();
            String readProbe = null;
            try (BenchClient client = new BenchClient(base, maxClients, 30_000)) {
                LoadRunner runner = new LoadRunner(client, pid,
                        LoadRunner.Transport.valueOf(transport.toUpperCase(Locale.ROOT)));
                for (Scenario scenario : toRun) {
                    out.printf("%s: preparing (%s)%n", scenario.name(), scenario.description());
                    long t0 = System.nanoTime();
                    scenario.prepare(client);
                    out.printf(Locale.ROOT, "%s: prepared in %.1f s%n", scenario.name(),
                            (System.nanoTime() - t0) / 1e9);
                    for (int n : clients) {
                        StepResult r = runner.run(scenario, n, warm, measured);
                        steps.add(r);
                        out.printf(Locale.ROOT, "%s x%d: %,.0f req/s, p50 %.2f ms, p99 %.2f ms, %d errors, "
                                + "server RSS %s MB%n", r.scenario(), n, r.throughput(), r.p50(), r.p99(),
                                r.errors(), Report.mb(r.serverRssBytes()));
                    }
                    if (scenario instanceof ReadScenario read && readProbe == null) {
                        readProbe = read.references().get(0);
                    }
                }
                // the restart probe reads without a token: only in development mode
                if (server != null && !noRestart && !smart) {
                    if (readProbe == null) {
                        readProbe = Locations.reference(client.call(Call.post("Patient",
                                ResourceFactory.utf8(new ResourceFactory(seed).patient()))).location());
                    }
                    restartResources = client.createdCount() + runner.createdCount();
                }
            }

            if (server != null) {
                stopMillis = server.stop(60_000);
                out.printf(Locale.ROOT, "stopped the server in %.0f ms%n", stopMillis);
                if (!noRestart && readProbe != null) {
                    out.printf("restarting on the same data dir to time start-up with data%n");
                    server = ServerProcess.start(javaBin, jvmArgs, serverJar, dataDir, log, serverSecurity);
                    writePid(server);
                    try (BenchClient local = new BenchClient(server.baseUrl(), 1, 2_000)) {
                        restart = server.awaitReady(local, readProbe, settleMillis, 60_000);
                    }
                    server.stop(60_000);
                }
                server = null;
            }

            List<String> allNotes = new ArrayList<>(notes);
            String loadClient = transport + " transport, " + machine.javaVersion() + " "
                    + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments());
            Report report = new Report(date, machine, serverDescription, pid, serverJvm, loadClient.trim(),
                    warm.toMillis() / 1000.0, measured.toMillis() / 1000.0, steps, fresh, restart, restartResources,
                    stopMillis, allNotes);
            out.println();
            out.print(report.text());
            Files.createDirectories(results);
            String stamp = date.replace(":", "").replace("-", "");
            Path json = results.resolve("bench-" + stamp + ".json");
            Path md = results.resolve("bench-" + stamp + ".md");
            Files.writeString(json, report.json() + "\n", StandardCharsets.UTF_8);
            Files.writeString(md, report.markdown(), StandardCharsets.UTF_8);
            Files.writeString(results.resolve("latest.json"), report.json() + "\n", StandardCharsets.UTF_8);
            Files.writeString(results.resolve("latest.md"), report.markdown(), StandardCharsets.UTF_8);
            out.printf("%nwrote %s and %s%n", json, md);
            return steps.stream().anyMatch(s -> s.ok() == 0) ? 1 : 0;
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private void writePid(ServerProcess server) throws java.io.IOException {
        if (pidFile != null) {
            Files.writeString(pidFile, server.pid() + "\n");
        }
    }

    private static String javaVersion(Path javaBin) {
        try {
            Process p = new ProcessBuilder(javaBin.toString(), "-version").redirectErrorStream(true).start();
            String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .findFirst().orElse("java");
            p.waitFor();
            return first.replace("\"", "");
        } catch (Exception e) {
            return javaBin.toString();
        }
    }
}
