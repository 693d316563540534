package dev.fhirbolt.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Everything one run measured, and its rendering as a plain-text table, Markdown and JSON. */
public record Report(
        String date,
        MachineInfo machine,
        String server,
        long serverPid,
        String serverJvm,
        String loadClient,
        double warmupSeconds,
        double durationSeconds,
        List<StepResult> steps,
        ServerProcess.Startup freshStart,
        ServerProcess.Startup restart,
        long restartResources,
        double stopMillis,
        List<String> notes) {

    // the targets for a 2-core machine with a 1 GiB heap
    static final double READ_TARGET = 15_000;
    static final double CREATE_TARGET = 3_000;
    static final double STARTUP_TARGET_MS = 3_000;
    static final long IDLE_RSS_TARGET = 300L * 1024 * 1024;
    static final double SEARCH_TARGET = 2_000;
    static final double SELECTIVE_P50_TARGET_MS = 5;
    /** What patient-scope enforcement may add to the server's CPU time per read or search. */
    static final double ENFORCEMENT_OVERHEAD_TARGET = 0.15;

    /** One line of the targets table. */
    public record TargetCheck(String what, String target, String measured, String verdict) {
    }

    Optional<StepResult> best(String scenario) {
        return steps.stream().filter(s -> s.scenario().equals(scenario))
                .max((a, b) -> Double.compare(a.throughput(), b.throughput()));
    }

    public List<TargetCheck> targets() {
        List<TargetCheck> checks = new ArrayList<>();
        checks.add(throughputCheck("read by id", "read", READ_TARGET, "req/s"));
        checks.add(throughputCheck("durable creates", "create", CREATE_TARGET, "creates/s"));
        List<String> parts = new ArrayList<>();
        double worst = -1;
        if (freshStart != null) {
            parts.add(String.format(Locale.ROOT, "%.2f s to /health (empty)", freshStart.toHealthMs() / 1000));
            worst = Math.max(worst, freshStart.toHealthMs());
        }
        if (restart != null) {
            parts.add(String.format(Locale.ROOT, "%.2f s to first read (restart)", restart.toFirstReadMs() / 1000));
            worst = Math.max(worst, restart.toFirstReadMs());
        }
        checks.add(new TargetCheck("start-up", "< 3 s", parts.isEmpty() ? "not measured" : String.join("; ", parts),
                worst < 0 ? "n/a" : worst < STARTUP_TARGET_MS ? "met" : "NOT MET"));
        long rss = freshStart == null ? -1 : freshStart.idleRssBytes();
        checks.add(new TargetCheck("idle RSS after start-up", "< 300 MB", rss < 0 ? "not measured" : mb(rss) + " MB",
                rss < 0 ? "n/a" : rss < IDLE_RSS_TARGET ? "met" : "NOT MET"));
        if (steps.stream().anyMatch(s -> s.scenario().startsWith("search-"))) {
            checks.add(throughputCheck("Observation?patient=X&code=Y", "search-obs-patient-code", SEARCH_TARGET,
                    "searches/s"));
            for (String scenario : List.of("search-obs-patient-code", "search-patient-name", "search-obs-code-date",
                    "search-encounter-include", "search-revinclude", "search-chain")) {
                checks.add(latencyCheck(scenario + " p50, 1 client", scenario));
            }
        }
        if (steps.stream().anyMatch(s -> s.scenario().startsWith("enforce-"))) {
            checks.add(enforcementCheck("patient-scope enforcement, read", "enforce-read"));
            checks.add(enforcementCheck("patient-scope enforcement, search", "enforce-search"));
        }
        return checks;
    }

    /**
     * Server CPU per request with a patient/ token against the same requests with a system/ token, at the highest
     * concurrency both ran, over every step of each (the {@code enforce} order runs each twice): CPU per request, not
     * throughput, since the machine may be shared (docs/benchmarks.md).
     */
    private TargetCheck enforcementCheck(String what, String unscoped) {
        String target = String.format(Locale.ROOT, "< %.0f%% server CPU per request", ENFORCEMENT_OVERHEAD_TARGET * 100);
        String scoped = unscoped + "-patient";
        Optional<Integer> clients = steps.stream().filter(s -> s.scenario().equals(scoped))
                .map(StepResult::clients).filter(n -> cpuMicros(scoped, n) > 0 && cpuMicros(unscoped, n) > 0)
                .max(Integer::compare);
        if (clients.isEmpty()) {
            return new TargetCheck(what, target, "not run (needs " + unscoped + " and " + scoped
                    + " at the same clients, with the server's CPU known)", "n/a");
        }
        int n = clients.get();
        double base = cpuMicros(unscoped, n);
        double mine = cpuMicros(scoped, n);
        double overhead = (mine - base) / base;
        return new TargetCheck(what, target, String.format(Locale.ROOT, "%+.1f%% (%.0f vs %.0f µs/req; %,.0f vs %,.0f"
                + " req/s; %d clients)", overhead * 100, mine, base, rate(scoped, n), rate(unscoped, n), n),
                overhead < ENFORCEMENT_OVERHEAD_TARGET ? "met" : "NOT MET");
    }

    /** Server CPU microseconds per successful request over every step of a scenario at a concurrency; -1: unknown. */
    private double cpuMicros(String scenario, int clients) {
        List<StepResult> matching = steps.stream().filter(s -> s.scenario().equals(scenario)
                && s.clients() == clients).toList();
        if (matching.isEmpty() || matching.stream().anyMatch(s -> s.serverCores() < 0)) {
            return -1;
        }
        double cpuSeconds = matching.stream().mapToDouble(s -> s.serverCores() * s.seconds()).sum();
        long ok = matching.stream().mapToLong(StepResult::ok).sum();
        return ok == 0 ? -1 : cpuSeconds / ok * 1e6;
    }

    private double rate(String scenario, int clients) {
        List<StepResult> matching = steps.stream().filter(s -> s.scenario().equals(scenario)
                && s.clients() == clients).toList();
        double seconds = matching.stream().mapToDouble(StepResult::seconds).sum();
        return seconds == 0 ? 0 : matching.stream().mapToLong(StepResult::ok).sum() / seconds;
    }

    private TargetCheck throughputCheck(String what, String scenario, double target, String unit) {
        String targetText = String.format(Locale.ROOT, ">= %,.0f %s", target, unit);
        return best(scenario)
                .map(s -> new TargetCheck(what, targetText, String.format(Locale.ROOT, "%,.0f %s (%d clients)",
                        s.throughput(), unit, s.clients()), s.throughput() >= target ? "met" : "NOT MET"))
                .orElse(new TargetCheck(what, targetText, "not run", "n/a"));
    }

    private TargetCheck latencyCheck(String what, String scenario) {
        String target = String.format(Locale.ROOT, "< %.0f ms", SELECTIVE_P50_TARGET_MS);
        return steps.stream().filter(s -> s.scenario().equals(scenario) && s.clients() == 1).findFirst()
                .map(s -> new TargetCheck(what, target, String.format(Locale.ROOT, "%.2f ms", s.p50()),
                        s.p50() < SELECTIVE_P50_TARGET_MS ? "met" : "NOT MET"))
                .orElse(new TargetCheck(what, target, "not run", "n/a"));
    }

    static String mb(long bytes) {
        return bytes < 0 ? "-" : Long.toString(Math.round(bytes / (1024.0 * 1024.0)));
    }

    private static String num(double v, String format) {
        return v < 0 ? "-" : String.format(Locale.ROOT, format, v);
    }

    private static final String[] HEADER = {"scenario", "clients", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms",
        "errors", "srv RSS MB", "CPU srv/bench/other"};

    private static String[] row(StepResult s) {
        return new String[] {s.scenario(), Integer.toString(s.clients()),
            String.format(Locale.ROOT, "%,.0f", s.throughput()), num(s.p50(), "%.2f"), num(s.p90(), "%.2f"),
            num(s.p99(), "%.2f"), num(s.max(), "%.1f"), Long.toString(s.errors()), mb(s.serverRssBytes()),
            num(s.serverCores(), "%.2f") + "/" + num(s.benchCores(), "%.2f") + "/" + num(s.otherCores(), "%.2f")};
    }

    /** A plain-text table, columns padded; {@code right} marks the columns aligned to the right. */
    static String table(String[] header, List<String[]> rows, boolean[] right) {
        int[] width = new int[header.length];
        List<String[]> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (String[] r : all) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int n = 0; n < all.size(); n++) {
            String[] r = all.get(n);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                String pad = " ".repeat(width[i] - r[i].length());
                line.append(i == 0 ? "" : "  ").append(right[i] ? pad + r[i] : r[i] + pad);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
            if (n == 0) {
                int total = 0;
                for (int w : width) {
                    total += w;
                }
                sb.append("-".repeat(total + 2 * (width.length - 1))).append('\n');
            }
        }
        return sb.toString();
    }

    private static final boolean[] STEP_ALIGN = {false, true, true, true, true, true, true, true, true, true};

    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("Fhirbolt benchmark, ").append(date).append('\n');
        sb.append("machine: ").append(machine.cores()).append(" cores, ").append(machine.cpuModel()).append(", ")
                .append(gib(machine.memoryBytes())).append(" memory; load average at start ")
                .append(machine.loadAverage()).append('\n');
        sb.append("server:  ").append(server).append(serverPid > 0 ? " (pid " + serverPid + ")" : "")
                .append(serverJvm == null ? "" : ", " + serverJvm).append('\n');
        sb.append("load:    ").append(loadClient).append('\n');
        sb.append(String.format(Locale.ROOT, "each step: %.0f s warm-up, then %.0f s measured; closed loop, "
                + "keep-alive; CPU in cores used during the step%n%n", warmupSeconds, durationSeconds));
        List<String[]> rows = new ArrayList<>();
        steps.forEach(s -> rows.add(row(s)));
        sb.append(table(HEADER, rows, STEP_ALIGN));
        for (StepResult s : steps) {
            if (!s.errorKinds().isEmpty()) {
                sb.append("errors in ").append(s.scenario()).append('/').append(s.clients()).append(": ")
                        .append(s.errorKinds()).append('\n');
            }
        }
        sb.append('\n').append(startupText());
        sb.append('\n');
        List<String[]> targetRows = new ArrayList<>();
        for (TargetCheck t : targets()) {
            targetRows.add(new String[] {t.what(), t.target(), t.measured(), t.verdict()});
        }
        sb.append(table(new String[] {"target (2 cores, -Xmx1g)", "goal", "measured", "verdict"}, targetRows,
                new boolean[] {false, false, false, false}));
        for (String note : notes) {
            sb.append("note: ").append(note).append('\n');
        }
        return sb.toString();
    }

    private String startupText() {
        StringBuilder sb = new StringBuilder();
        if (freshStart != null) {
            sb.append(String.format(Locale.ROOT, "start-up on an empty data dir: %.0f ms to GET /health = 200;"
                    + " idle RSS %s MB%n", freshStart.toHealthMs(), mb(freshStart.idleRssBytes())));
        }
        if (restart != null) {
            sb.append(String.format(Locale.ROOT, "restart with %,d resources: %.0f ms to GET /health = 200; %.0f ms"
                    + " to first read (%s); idle RSS %s MB%n", restartResources, restart.toHealthMs(),
                    restart.toFirstReadMs(), restart.readProbe(), mb(restart.idleRssBytes())));
        }
        if (stopMillis >= 0) {
            sb.append(String.format(Locale.ROOT, "graceful stop (SIGTERM to exit): %.0f ms%n", stopMillis));
        }
        if (sb.isEmpty()) {
            sb.append("start-up: not measured (the server was already running)\n");
        }
        return sb.toString();
    }

    private static String gib(long bytes) {
        return bytes < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }

    public String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Fhirbolt benchmark, ").append(date).append("\n\n");
        sb.append("- machine: ").append(machine.cores()).append(" cores, ").append(machine.cpuModel()).append(", ")
                .append(gib(machine.memoryBytes())).append("; load average at start ").append(machine.loadAverage())
                .append('\n');
        sb.append("- server: ").append(server).append(serverJvm == null ? "" : ", " + serverJvm).append('\n');
        sb.append("- load: ").append(loadClient).append('\n');
        sb.append(String.format(Locale.ROOT, "- each step: %.0f s warm-up, %.0f s measured; closed loop over "
                + "keep-alive connections; CPU columns are cores used during the step by the server, the load "
                + "generator and everything else%n%n", warmupSeconds, durationSeconds));
        sb.append('|').append(String.join("|", HEADER)).append("|\n|");
        for (int i = 0; i < HEADER.length; i++) {
            sb.append(i == 0 ? "---|" : "--:|");
        }
        sb.append('\n');
        for (StepResult s : steps) {
            sb.append('|').append(String.join("|", row(s))).append("|\n");
        }
        sb.append('\n');
        startupText().lines().forEach(l -> sb.append("- ").append(l).append('\n'));
        sb.append("\n|target|goal|measured|verdict|\n|---|---|---|---|\n");
        for (TargetCheck t : targets()) {
            sb.append('|').append(t.what()).append('|').append(t.target()).append('|').append(t.measured())
                    .append('|').append(t.verdict()).append("|\n");
        }
        for (String note : notes) {
            sb.append("\nNote: ").append(note).append('\n');
        }
        return sb.toString();
    }

    public String json() {
        Json j = new Json();
        j.open('{');
        j.field("date", date);
        j.key("machine").open('{');
        j.field("cores", machine.cores()).field("cpuModel", machine.cpuModel())
                .field("memoryBytes", machine.memoryBytes()).field("loadAverageAtStart", machine.loadAverage())
                .field("os", machine.os()).field("benchJava", machine.javaVersion());
        j.close('}');
        j.field("server", server).field("serverPid", serverPid).field("serverJvm", serverJvm)
                .field("loadClient", loadClient).field("warmupSeconds", warmupSeconds).field("durationSeconds", durationSeconds);
        j.key("steps").open('[');
        for (StepResult s : steps) {
            j.open('{');
            j.field("scenario", s.scenario()).field("clients", s.clients()).field("seconds", s.seconds())
                    .field("ok", s.ok()).field("errors", s.errors()).field("throughput", s.throughput())
                    .field("p50Ms", s.p50()).field("p90Ms", s.p90()).field("p99Ms", s.p99()).field("maxMs", s.max())
                    .field("meanMs", s.mean()).field("serverRssBytes", s.serverRssBytes())
                    .field("serverCores", s.serverCores()).field("benchCores", s.benchCores())
                    .field("otherCores", s.otherCores());
            j.key("errorKinds").open('{');
            for (Map.Entry<String, Long> e : s.errorKinds().entrySet()) {
                j.field(e.getKey(), e.getValue());
            }
            j.close('}');
            j.close('}');
        }
        j.close(']');
        startupJson(j, "freshStart", freshStart);
        startupJson(j, "restart", restart);
        j.field("restartResources", restartResources).field("stopMillis", stopMillis);
        j.key("targets").open('[');
        for (TargetCheck t : targets()) {
            j.open('{').field("what", t.what()).field("target", t.target()).field("measured", t.measured())
                    .field("verdict", t.verdict()).close('}');
        }
        j.close(']');
        j.key("notes").open('[');
        notes.forEach(j::value);
        j.close(']');
        j.close('}');
        return j.toString();
    }

    private static void startupJson(Json j, String name, ServerProcess.Startup s) {
        if (s == null) {
            j.key(name).raw("null");
            return;
        }
        j.key(name).open('{').field("toHealthMs", s.toHealthMs()).field("toFirstReadMs", s.toFirstReadMs())
                .field("idleRssBytes", s.idleRssBytes()).field("readProbe", s.readProbe()).close('}');
    }
}
