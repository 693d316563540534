package dev.fhirbolt.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Ingest benchmark ({@code bench/ingest.sh}): loads a Synthea output directory twice, each time into an empty data
 * dir. Over HTTP, every file is POSTed as it is (batch or transaction Bundle) to a server this benchmark starts, with
 * Synthea's order (hospitals, practitioners, then patients, {@code --clients} at a time); the per-file latency and the
 * server's RSS after each file are recorded. Offline, {@code fhirbolt load --data-dir} loads the same directory and its
 * rate, CPU time and peak RSS are recorded. The report goes to stdout and to {@code results/ingest-*.md}, the per-file
 * figures to {@code results/ingest-*-files.csv}. With {@code --warmup}, another Synthea directory is first loaded
 * over HTTP into the same server, untimed: a fresh JVM spends a fifth of a 100-patient load's CPU compiling the
 * write path, which a server that has been running a while no longer does.
 */
@Command(name = "fhirbolt-ingest-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Loads a Synthea data set over HTTP and offline; reports resources/s, per-file latency, RSS.")
public final class IngestBench implements Callable<Integer> {

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Synthea output (its fhir/ dir).")
    Path data;
    @Option(names = "--server-jar", defaultValue = "app/target/fhirbolt.jar", description = "Fhirbolt jar.")
    Path serverJar;
    @Option(names = "--java", description = "java binary for the server and the loader (default: this one).")
    Path javaBinary;
    @Option(names = "--work", required = true, paramLabel = "DIR", description = "Where the data dirs go (a disk).")
    Path work;
    @Option(names = "--server-jvm-args", defaultValue = "-Xmx1g", description = "Server JVM options "
            + "(bench/ingest.sh passes those of ./fhirbolt, FHIRBOLT_JAVA_OPTS; without it: ${DEFAULT-VALUE}).")
    String serverJvmArgs;
    @Option(names = "--loader-jvm-args", defaultValue = "-Xmx3g -XX:+UseParallelGC", description = "Offline loader"
            + " JVM options (bench/ingest.sh passes those of ./fhirbolt load, FHIRBOLT_LOAD_JAVA_OPTS; without it:"
            + " ${DEFAULT-VALUE}).")
    String loaderJvmArgs;
    @Option(names = "--clients", defaultValue = "2", description = "Patient bundles in flight over HTTP "
            + "(default: ${DEFAULT-VALUE}).")
    int clients;
    @Option(names = "--modes", split = ",", defaultValue = "http,offline", description = "http, offline or both "
            + "(default: ${DEFAULT-VALUE}).")
    List<String> modes;
    @Option(names = "--warmup", paramLabel = "DIR", description = "Synthea output loaded over HTTP into the same"
            + " server before the timed load, untimed, so that the figures are those of a server whose JIT has"
            + " compiled the write path (default: none, a cold server).")
    Path warmup;
    @Option(names = "--results", defaultValue = "bench/results", description = "Report directory.")
    Path results;
    @Option(names = "--note", description = "A remark to keep with the results (repeatable).")
    List<String> notes = new ArrayList<>();

    private static final Pattern STATUS = Pattern.compile("\"status\":\"(\\d{3})");
    private static final Pattern LOADED = Pattern.compile("loaded ([\\d,]+) resources from (\\d+) files in (\\S+)");

    /** One file over HTTP. */
    record FileResult(String file, long bytes, int entries, int ok, int status, double millis, long resourcesSoFar,
            long serverRssBytes, double secondsSinceStart) {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new IngestBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Path dir = Files.isDirectory(data.resolve("fhir")) ? data.resolve("fhir") : data;
        List<Path> files = files(dir);
        long totalBytes = 0;
        for (Path f : files) {
            totalBytes += Files.size(f);
        }
        Path javaBin = javaBinary != null ? javaBinary : Path.of(System.getProperty("java.home"), "bin", "java");
        MachineInfo machine = MachineInfo.current();
        String date = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME).substring(0, 19);
        out.printf(Locale.ROOT, "%d files, %.1f MB, largest %s (%.1f MB); %d cores, load average %s%n", files.size(),
                totalBytes / 1e6, largest(files).getFileName(), Files.size(largest(files)) / 1e6, machine.cores(),
                machine.loadAverage());
        Files.createDirectories(results);
        Files.createDirectories(work);
        StringBuilder md = new StringBuilder();
        md.append("# Ingest benchmark ").append(date).append("\n\n");
        md.append("- machine: ").append(machine.cores()).append(" cores, ").append(machine.cpuModel()).append(", ")
                .append(machine.memoryBytes() / (1L << 20)).append(" MiB, load average before: ")
                .append(machine.loadAverage()).append('\n');
        md.append("- data: ").append(dir).append(", ").append(files.size()).append(" files, ")
                .append(String.format(Locale.ROOT, "%.1f MB", totalBytes / 1e6)).append(", largest ")
                .append(largest(files).getFileName()).append(String.format(Locale.ROOT, " (%.1f MB)",
                        Files.size(largest(files)) / 1e6)).append('\n');
        md.append("- server jar: ").append(serverJar).append(", ").append(javaVersion(javaBin)).append('\n');
        for (String note : notes) {
            md.append("- note: ").append(note).append('\n');
        }
        String stamp = date.replace(":", "").replace("-", "");
        if (modes.contains("http")) {
            http(files, javaBin, md, results.resolve("ingest-" + stamp + "-files.csv"), out);
        }
        if (modes.contains("offline")) {
            offline(dir, javaBin, md, out);
        }
        Files.writeString(results.resolve("ingest-" + stamp + ".md"), md, StandardCharsets.UTF_8);
        Files.writeString(results.resolve("ingest-latest.md"), md, StandardCharsets.UTF_8);
        out.printf("%nwrote %s%n", results.resolve("ingest-" + stamp + ".md"));
        return 0;
    }

    private void http(List<Path> files, Path javaBin, StringBuilder md, Path csv, PrintStream out) throws Exception {
        Path dataDir = work.resolve("http-data");
        deleteTree(dataDir);
        Files.createDirectories(dataDir);
        Path log = results.resolve("ingest-server.log").toAbsolutePath();
        Files.deleteIfExists(log);
        List<String> jvm = List.of(serverJvmArgs.trim().split("\\s+"));
        ServerProcess server = ServerProcess.start(javaBin, jvm, serverJar, dataDir, log, ServerProcess.Security.OFF);
        try (BenchClient probe = new BenchClient(server.baseUrl(), 1, 2_000)) {
            ServerProcess.Startup up = server.awaitReady(probe, null, 1_000, 60_000);
            out.printf(Locale.ROOT, "http: server up in %.0f ms, idle RSS %s MB, %d clients%n", up.toHealthMs(),
                    Report.mb(up.idleRssBytes()), clients);
            md.append("\n## HTTP: POST of each Bundle to a server started with ").append(serverJvmArgs)
                    .append(", ").append(clients).append(" bundles in flight\n\n");
            md.append("Idle RSS before loading: ").append(Report.mb(up.idleRssBytes())).append(" MB.\n\n");
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        URI base = URI.create(server.baseUrl() + "/");
        if (warmup != null) {
            Path warmupDir = Files.isDirectory(warmup.resolve("fhir")) ? warmup.resolve("fhir") : warmup;
            long t0 = System.nanoTime();
            List<FileResult> warm = post(files(warmupDir), client, base, server, new AtomicLong(), t0);
            long warmResources = warm.stream().mapToLong(FileResult::ok).sum();
            long warmFailed = warm.stream().filter(r -> r.status() != 200 || r.ok() != r.entries()).count();
            String line = String.format(Locale.ROOT, "warm-up: %,d resources from %d files of %s in %.1f s, %d files"
                    + " with errors, untimed", warmResources, warm.size(), warmupDir, (System.nanoTime() - t0) / 1e9,
                    warmFailed);
            out.println("http: " + line);
            md.append("Warm-up before the timed load (same server, same data dir): ").append(line).append(".\n\n");
        } else {
            md.append("No warm-up: the timed load starts on a fresh server (JIT compilation included).\n\n");
        }
        long cpuBefore = ProcStats.cpuNanos(server.pid());
        AtomicLong resources = new AtomicLong();
        long started = System.nanoTime();
        List<FileResult> done;
        try {
            done = post(files, client, base, server, resources, started);
        } finally {
            client.close();
        }
        httpReport(server, dataDir, done, resources, started, cpuBefore, md, csv, out);
    }

    /** POSTs the files in Synthea's order, {@code clients} at a time, and records each file. */
    private List<FileResult> post(List<Path> files, HttpClient client, URI base, ServerProcess server,
            AtomicLong resources, long started) throws Exception {
        List<FileResult> done = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, clients));
        try {
            for (int phase = 0; phase <= 2; phase++) {
                List<Future<?>> running = new ArrayList<>();
                for (Path file : files) {
                    if (phase(file) != phase) {
                        continue;
                    }
                    running.add(pool.submit(() -> {
                        byte[] body = Files.readAllBytes(file);
                        long t0 = System.nanoTime();
                        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(base)
                                .timeout(Duration.ofMinutes(30))
                                .header("Content-Type", "application/fhir+json")
                                .header("Prefer", "return=minimal")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        double millis = (System.nanoTime() - t0) / 1e6;
                        int entries = 0;
                        int ok = 0;
                        Matcher m = STATUS.matcher(new String(r.body(), StandardCharsets.UTF_8));
                        while (m.find()) {
                            entries++;
                            if (m.group(1).startsWith("2")) {
                                ok++;
                            }
                        }
                        if (r.statusCode() != 200) {
                            ok = 0;
                        }
                        long total = resources.addAndGet(ok);
                        done.add(new FileResult(file.getFileName().toString(), body.length, entries, ok,
                                r.statusCode(), millis, total, ProcStats.rssBytes(server.pid()),
                                (System.nanoTime() - started) / 1e9));
                        return null;
                    }));
                }
                for (Future<?> f : running) {
                    f.get();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return done;
    }

    private void httpReport(ServerProcess server, Path dataDir, List<FileResult> done, AtomicLong resources,
            long started, long cpuBefore, StringBuilder md, Path csv, PrintStream out) throws Exception {
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpu = (ProcStats.cpuNanos(server.pid()) - cpuBefore) / 1e9;
        long rssEnd = ProcStats.rssBytes(server.pid());
        double stopMs = server.stop(120_000);
        long dirBytes = treeSize(dataDir);
        List<FileResult> results = new ArrayList<>(done);
        results.sort(Comparator.comparingDouble(FileResult::secondsSinceStart));
        long failedFiles = results.stream().filter(r -> r.status() != 200 || r.ok() != r.entries()).count();
        double rate = resources.get() / seconds;
        out.printf(Locale.ROOT, "http: %,d resources from %d files in %.1f s: %,.0f resources/s, server CPU %.1f s"
                + " (%.2f cores), %d files with errors, RSS at the end %s MB, data dir %.0f MB, stopped in %.0f ms%n",
                resources.get(), results.size(), seconds, rate, cpu, cpu / seconds, failedFiles, Report.mb(rssEnd),
                dirBytes / 1e6, stopMs);
        md.append(String.format(Locale.ROOT, "| resources | files | seconds | resources/s | server CPU s (cores) |"
                + " files with errors | data dir MB |%n|---:|---:|---:|---:|---:|---:|---:|%n"
                + "| %,d | %d | %.1f | %,.0f | %.1f (%.2f) | %d | %.0f |%n%n", resources.get(), results.size(), seconds,
                rate, cpu, cpu / seconds, failedFiles, dirBytes / 1e6));
        double[] latencies = results.stream().mapToDouble(FileResult::millis).sorted().toArray();
        FileResult biggest = results.stream().max(Comparator.comparingLong(FileResult::bytes)).orElseThrow();
        md.append(String.format(Locale.ROOT, "Per-file latency: p50 %.0f ms, p90 %.0f ms, max %.0f ms; the largest"
                + " file (%s, %.1f MB, %,d entries) took %.0f ms.%n%n", pct(latencies, 50), pct(latencies, 90),
                latencies[latencies.length - 1], biggest.file(), biggest.bytes() / 1e6, biggest.entries(),
                biggest.millis()));
        out.printf(Locale.ROOT, "http: per-file latency p50 %.0f ms, p90 %.0f ms, max %.0f ms%n", pct(latencies, 50),
                pct(latencies, 90), latencies[latencies.length - 1]);
        md.append("Server RSS as data grows (after the file that crossed each tenth of the resources):\n\n");
        md.append("| resources loaded | seconds | server RSS MB |\n|---:|---:|---:|\n");
        long next = 0;
        for (FileResult r : results) {
            if (r.resourcesSoFar() >= next || r == results.get(results.size() - 1)) {
                md.append(String.format(Locale.ROOT, "| %,d | %.1f | %s |%n", r.resourcesSoFar(),
                        r.secondsSinceStart(), Report.mb(r.serverRssBytes())));
                next = r.resourcesSoFar() + Math.max(1, resources.get() / 10);
            }
        }
        md.append(String.format(Locale.ROOT, "%nRSS at the end: %s MB; graceful stop %.0f ms.%n", Report.mb(rssEnd),
                stopMs));
        StringBuilder lines = new StringBuilder("file,bytes,entries,ok,http_status,millis,resources_so_far,"
                + "server_rss_mb,seconds_since_start\n");
        for (FileResult r : results) {
            lines.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%.1f,%d,%s,%.2f%n", r.file(), r.bytes(),
                    r.entries(), r.ok(), r.status(), r.millis(), r.resourcesSoFar(), Report.mb(r.serverRssBytes()),
                    r.secondsSinceStart()));
        }
        Files.writeString(csv, lines, StandardCharsets.UTF_8);
        md.append("Per-file figures: `").append(csv.getFileName()).append("`.\n");
        deleteTree(dataDir);
    }

    private void offline(Path dir, Path javaBin, StringBuilder md, PrintStream out) throws Exception {
        Path dataDir = work.resolve("offline-data");
        deleteTree(dataDir);
        List<String> command = new ArrayList<>();
        command.add(javaBin.toString());
        command.addAll(List.of(loaderJvmArgs.trim().split("\\s+")));
        command.addAll(List.of("-jar", serverJar.toString(), "load", "--no-progress", "--data-dir",
                dataDir.toString(), dir.toString()));
        Path log = results.resolve("ingest-loader.log");
        long started = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        long peakRss = 0;
        long cpu = 0;
        while (!p.waitFor(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            peakRss = Math.max(peakRss, ProcStats.rssBytes(p.pid()));
            long c = ProcStats.cpuNanos(p.pid());
            cpu = c > 0 ? c : cpu;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        String output = Files.readString(log);
        Matcher m = LOADED.matcher(output);
        long loaded = m.find() ? Long.parseLong(m.group(1).replace(",", "")) : -1;
        long dirBytes = treeSize(dataDir);
        out.printf(Locale.ROOT, "offline: %,d resources in %.1f s (process, JVM start included): %,.0f resources/s,"
                + " CPU %.1f s (%.2f cores), peak RSS %s MB, exit %d, data dir %.0f MB%n", loaded, seconds,
                loaded / seconds, cpu / 1e9, cpu / 1e9 / seconds, Report.mb(peakRss), p.exitValue(), dirBytes / 1e6);
        md.append("\n## Offline: `fhirbolt load --data-dir` (").append(loaderJvmArgs).append(")\n\n");
        md.append(String.format(Locale.ROOT, "| resources | seconds (JVM start to exit) | resources/s | CPU s (cores)"
                + " | peak RSS MB | exit | data dir MB |%n|---:|---:|---:|---:|---:|---:|---:|%n"
                + "| %,d | %.1f | %,.0f | %.1f (%.2f) | %s | %d | %.0f |%n%n", loaded, seconds, loaded / seconds,
                cpu / 1e9, cpu / 1e9 / seconds, Report.mb(peakRss), p.exitValue(), dirBytes / 1e6));
        String summary = output.lines().filter(l -> l.startsWith("loaded ")).findFirst().orElse("(no summary)");
        md.append("The loader's own summary: `").append(summary).append("`\n");
        deleteTree(dataDir);
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted(Comparator.comparingInt(IngestBench::phase).thenComparing(p -> p.getFileName().toString()))
                    .toList();
        }
    }

    static int phase(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith("hospitalInformation") ? 0 : name.startsWith("practitionerInformation") ? 1 : 2;
    }

    private static Path largest(List<Path> files) {
        return files.stream().max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
    }

    static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static long treeSize(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
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
