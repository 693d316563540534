package dev.fhirbolt.bench.console;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fhirbolt.bench.MachineInfo;
import dev.fhirbolt.bench.ServerProcess;
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
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The console's first paint (bench/console.sh): starts a server on a loaded data directory (development mode),
 * opens every console page in headless Chromium, once to warm it and then {@code --runs} times measured, and prints
 * per page the server's time, the first byte and the first paint (medians and the worst) against the 300 ms target.
 */
@Command(name = "fhirbolt-console-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "First paint of every console page in headless Chromium.")
public final class ConsoleBench implements Callable<Integer> {

    static final long TARGET_MS = 300;

    @Option(names = "--data-dir", required = true, description = "A data directory loaded with Synthea data.")
    Path dataDir;
    @Option(names = "--synthea", description = "The Synthea bundles loaded into it (DIR or DIR/fhir): the largest "
            + "patient's bundle names the patient shown in the patient view.")
    Path synthea;
    @Option(names = "--patient", description = "The patient of the patient view (default: the largest bundle's).")
    String patient;
    @Option(names = "--server-jar", defaultValue = "app/target/fhirbolt.jar", description = "Fhirbolt jar.")
    Path serverJar;
    @Option(names = "--java", description = "java binary for the server (default: this one).")
    Path javaBinary;
    @Option(names = "--server-jvm-args", defaultValue = "-Xmx1g", description = "Server JVM options.")
    String serverJvmArgs;
    @Option(names = "--runs", defaultValue = "3", description = "Measured visits a page (after one to warm it).")
    int runs;
    @Option(names = "--timeout", defaultValue = "60", description = "Seconds a page may take to load.")
    int timeoutSeconds;
    @Option(names = "--chromium", defaultValue = "/usr/bin/chromium", description = "Chromium binary.")
    Path chromium;
    @Option(names = "--chromedriver", defaultValue = "/usr/bin/chromedriver", description = "chromedriver binary.")
    Path chromedriver;
    @Option(names = "--results", defaultValue = "bench/results", description = "Report directory.")
    Path results;
    @Option(names = "--note", description = "A remark to keep with the results (repeatable).")
    List<String> notes = new ArrayList<>();

    public static void main(String[] args) {
        java.util.logging.Logger.getLogger("org.openqa.selenium").setLevel(java.util.logging.Level.SEVERE);
        System.exit(new CommandLine(new ConsoleBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Path javaBin = javaBinary != null ? javaBinary : Path.of(System.getProperty("java.home"), "bin", "java");
        String date = ZonedDateTime.now(java.time.ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                .substring(0, 16) + " UTC";
        Files.createDirectories(results);
        Path log = results.resolve("console-server.log").toAbsolutePath();
        Files.deleteIfExists(log);
        String before = MachineInfo.current().loadAverage();
        List<String> jvm = List.of(serverJvmArgs.trim().split("\\s+"));
        List<String> rows = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(javaBin, jvm, serverJar, dataDir, log,
                ServerProcess.Security.OFF)) {
            String base = server.baseUrl();
            awaitHealth(base);
            List<String[]> pages = pages(base);
            out.printf(Locale.ROOT, "server up at %s; load average %s; %d runs a page%n", base, before, runs);
            try (PaintProbe probe = new PaintProbe(chromium, chromedriver, Duration.ofSeconds(timeoutSeconds))) {
                for (String[] page : pages) {
                    probe.open(base + page[1]); // warms caches (the CapabilityStatement, counts, the JIT)
                    List<PaintProbe.Timing> timings = new ArrayList<>();
                    int timeouts = 0;
                    for (int i = 0; i < runs; i++) {
                        Optional<PaintProbe.Timing> t = probe.open(base + page[1]);
                        if (t.isPresent()) {
                            timings.add(t.get());
                        } else {
                            timeouts++;
                        }
                    }
                    String row = PaintTable.row(page[0], timings, timeouts, timeoutSeconds);
                    rows.add(row);
                    out.println(row);
                }
            }
        }
        String after = MachineInfo.current().loadAverage();
        MachineInfo machine = MachineInfo.current();
        StringBuilder md = new StringBuilder();
        md.append("# Console first paint ").append(date).append("\n\n");
        md.append("- machine: ").append(machine.cores()).append(" cores, ").append(machine.cpuModel())
                .append(", load average ").append(before).append(" before, ").append(after).append(" after\n");
        md.append("- data: ").append(dataDir).append(synthea == null ? "" : " (loaded from " + synthea + ")")
                .append('\n');
        md.append("- Chromium headless at 1280 × 900; security off; each page opened once untimed, then ")
                .append(runs).append(" times; medians, the worst in brackets\n");
        for (String note : notes) {
            md.append("- note: ").append(note).append('\n');
        }
        md.append('\n').append(PaintTable.HEADER).append('\n');
        rows.forEach(r -> md.append(r).append('\n'));
        String table = md.toString();
        out.println();
        out.print(table);
        String stamp = date.replace(":", "").replace("-", "").replace(" UTC", "").replace("T", "-");
        Files.writeString(results.resolve("console-" + stamp + ".md"), table, StandardCharsets.UTF_8);
        Files.writeString(results.resolve("console-latest.md"), table, StandardCharsets.UTF_8);
        out.printf("%nwrote %s%n", results.resolve("console-latest.md"));
        return 0;
    }

    /** The pages measured: a label and the console path, ids found on the server. */
    private List<String[]> pages(String base) throws Exception {
        String who = patient;
        if (who == null) {
            // a transaction of urn:uuid entries gets ids from the server: the bundle's id is the Synthea identifier
            String synthea = largestPatient();
            who = firstId(base, "/Patient?identifier=" + synthea + "&_elements=id");
            if (who.isEmpty()) {
                who = synthea;
            }
        }
        String youngest = firstId(base, "/Patient?_count=1&_elements=id&_sort=-birthdate");
        String observation = firstId(base, "/Observation?code=8867-4&_count=1&_elements=id");
        List<String[]> pages = new ArrayList<>();
        pages.add(new String[] {"dashboard `/console/`", "/console/"});
        pages.add(new String[] {"types `/console/search`", "/console/search"});
        pages.add(new String[] {"Patients `/console/search/Patient`", "/console/search/Patient"});
        pages.add(new String[] {"Observations `/console/search/Observation`", "/console/search/Observation"});
        pages.add(new String[] {"heart rates `/console/search/Observation?code=8867-4`",
            "/console/search/Observation?code=8867-4"});
        pages.add(new String[] {"a Patient `/console/resource/Patient/{id}`", "/console/resource/Patient/" + who});
        pages.add(new String[] {"an Observation `/console/resource/Observation/{id}`",
            "/console/resource/Observation/" + observation});
        pages.add(new String[] {"history `/console/fhir/Patient/{id}/_history`",
            "/console/fhir/Patient/" + who + "/_history"});
        pages.add(new String[] {"what references the largest patient `/console/referrers/Patient/{id}`",
                "/console/referrers/Patient/" + who});
        pages.add(new String[] {"patient view, largest patient `/console/patient/{id}`", "/console/patient/" + who});
        pages.add(new String[] {"patient view, youngest patient", "/console/patient/" + youngest});
        pages.add(new String[] {"capabilities `/console/fhir/metadata`", "/console/fhir/metadata"});
        pages.add(new String[] {"data `/console/data`", "/console/data"});
        pages.add(new String[] {"edit `/console/edit/Patient/{id}`", "/console/edit/Patient/" + who});
        pages.add(new String[] {"transaction `/console/transaction`", "/console/transaction"});
        pages.add(new String[] {"admin `/console/admin`", "/console/admin"});
        return pages;
    }

    /** The Patient of the largest patient bundle (not the hospital or practitioner bundles). */
    private String largestPatient() throws IOException {
        if (synthea == null) {
            throw new CommandLine.ParameterException(new CommandLine(this), "give --synthea DIR or --patient ID");
        }
        Path dir = Files.isDirectory(synthea.resolve("fhir")) ? synthea.resolve("fhir") : synthea;
        Path largest;
        try (Stream<Path> files = Files.list(dir)) {
            largest = files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .filter(f -> !f.getFileName().toString().startsWith("hospitalInformation"))
                    .filter(f -> !f.getFileName().toString().startsWith("practitionerInformation"))
                    .max(Comparator.comparingLong(ConsoleBench::size)).orElseThrow();
        }
        try (JsonParser p = new ObjectMapper().getFactory().createParser(largest.toFile())) {
            boolean patientNext = false;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME && p.currentName().equals("resourceType")) {
                    patientNext = "Patient".equals(p.nextTextValue());
                } else if (patientNext && t == JsonToken.FIELD_NAME && p.currentName().equals("id")) {
                    String id = p.nextTextValue();
                    System.out.printf(Locale.ROOT, "largest patient: %s (%s, %.1f MB)%n", id, largest.getFileName(),
                            size(largest) / 1e6);
                    return id;
                }
            }
        }
        throw new IllegalStateException("no Patient in " + largest);
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String firstId(String base, String query) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + query))
                .header("Accept", "application/fhir+json").timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode bundle = new ObjectMapper().readTree(r.body());
        return bundle.path("entry").path(0).path("resource").path("id").asText();
    }

    private static void awaitHealth(String base) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the server did not become healthy in 3 minutes");
    }
}
