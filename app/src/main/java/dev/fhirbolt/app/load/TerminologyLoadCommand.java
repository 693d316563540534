package dev.fhirbolt.app.load;

import dev.fhirbolt.app.ConfigLoader;
import dev.fhirbolt.app.OfflineApi;
import dev.fhirbolt.app.ServerConfig;
import dev.fhirbolt.terminology.CodeSystemForm;
import dev.fhirbolt.terminology.CsvCodeSystem;
import dev.fhirbolt.terminology.JsonCodeSystem;
import java.io.BufferedReader;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fhirbolt terminology load FILE.csv --url URL} (or {@code FILE.json}, a CodeSystem): a code system from a CSV
 * or FHIR JSON file, streamed (never held whole) to {@code CodeSystem/[id]/$upload} of a running server or of the FHIR
 * API on a data directory, with a progress bar of the bytes sent.
 */
@Command(name = "load", mixinStandardHelpOptions = true, versionProvider = dev.fhirbolt.app.BuildVersion.Provider.class,
        description = {"Load a code system from a CSV file (header: code, display, definition, parent, status or"
                + " inactive, other columns become string properties) or a FHIR CodeSystem JSON file (*.json) as a"
                + " CodeSystem resource.",
                "The file is streamed to CodeSystem/[id]/$upload as it is read (chunked upload); neither this command"
                + " nor the server holds it whole.",
                "Over HTTP into a running server (--server), or into a data directory while the server is stopped"
                + " (--data-dir)."})
public final class TerminologyLoadCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    LoadCommand.Target target;

    @Option(names = "--url", description = "The code system's canonical URL (its system); required for a CSV file,"
            + " replaces the file's for a JSON one.")
    String url;

    @Option(names = "--id", description = "The CodeSystem's id (default: derived from the file name).")
    String id;

    @Option(names = "--name", description = "The CodeSystem's name (default: the id).")
    String name;

    @Option(names = "--version", description = "The code system's version.")
    String version;

    @Option(names = "--token", description = "SMART access token for --server (default: FHIRBOLT_TOKEN).")
    String token;

    @Option(names = "--config", description = "Properties file with server settings (used with --data-dir).")
    Path config;

    @Option(names = "--no-progress", description = "Do not draw the progress bar.")
    boolean noProgress;

    @Parameters(arity = "1", paramLabel = "FILE", description = "A CSV file, or a FHIR CodeSystem JSON file (*.json).")
    Path file;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            System.err.println("fhirbolt terminology load: no such file " + file);
            return 2;
        }
        String codeSystemId = id != null ? id : file.getFileName().toString().replaceFirst("\\.[^.]*$", "")
                .replaceAll("[^A-Za-z0-9\\-.]", "-");
        if (!codeSystemId.matches("[A-Za-z0-9\\-.]{1,64}")) {
            System.err.println("fhirbolt terminology load: '" + codeSystemId + "' is not a FHIR id; give --id");
            return 2;
        }
        boolean json = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json");
        if (!json && url == null) {
            System.err.println("fhirbolt terminology load: a CSV file needs --url (the code system's canonical URL)");
            return 2;
        }
        long size = Math.max(1, Files.size(file));
        LoadTarget loadTarget = open();
        if (loadTarget == null) {
            return 3;
        }
        System.err.println("loading code system " + (url != null ? url : "") + " from " + file + " into "
                + loadTarget.describe());
        try (loadTarget; Progress progress = new Progress(1, size, System.err, !noProgress).showingBytes()) {
            AtomicLong concepts = new AtomicLong();
            // the file's bytes read are its bytes sent, give or take the 64 KiB pipe (a CSV's JSON body is larger
            // than the file, and only the file's size is known in advance)
            java.util.function.LongConsumer read = bytes -> progress.bytesSent.set(Math.min(size, bytes));
            LoadTarget.BodyWriter body = json ? out -> {
                try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                    concepts.set(JsonCodeSystem.write(in, new JsonCodeSystem.Header(codeSystemId,
                            Optional.ofNullable(url), Optional.ofNullable(name), Optional.ofNullable(version)),
                            CodeSystemForm.UPLOAD, out, read));
                }
            } : out -> {
                try (BufferedReader csv = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    concepts.set(CsvCodeSystem.write(csv, new CsvCodeSystem.Header(codeSystemId, url,
                            name != null ? name : codeSystemId, Optional.ofNullable(version)), CodeSystemForm.UPLOAD,
                            out, read));
                }
            };
            progress.sending.set(1);
            LoadTarget.Response response;
            try {
                response = loadTarget.postStream("CodeSystem/" + codeSystemId + "/$upload", body, sent -> { });
            } catch (IllegalArgumentException e) {
                progress.errors.incrementAndGet();
                System.err.println("\nfhirbolt terminology load: " + file + " is not a code system this command can"
                        + " load: " + e.getMessage() + "; nothing was stored");
                return 1;
            } catch (java.io.IOException e) {
                progress.errors.incrementAndGet();
                System.err.println("\nfhirbolt terminology load: could not send " + file + " to "
                        + loadTarget.describe() + ": " + e + "; nothing was stored");
                return 1;
            }
            progress.sending.set(0);
            if (response.status() / 100 != 2) {
                progress.errors.incrementAndGet();
                System.err.println("\nfhirbolt terminology load: the server refused " + file + " with "
                        + response.status() + ": " + Diagnostics.of(response.body()) + "; nothing was stored");
                return 1;
            }
            progress.resources.set(concepts.get());
            progress.filesDone.set(1);
            progress.bytesSent.set(size);
            System.err.printf("%nloaded %,d concepts as CodeSystem/%s%s in %.1f s%n", concepts.get(), codeSystemId,
                    url != null ? " (" + url + ")" : "", progress.seconds());
            return 0;
        }
    }

    private LoadTarget open() throws Exception {
        if (target.server != null) {
            return new HttpTarget(target.server, token != null ? token : System.getenv("FHIRBOLT_TOKEN"));
        }
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("data-dir", target.dataDir.toString());
        ServerConfig cfg = ConfigLoader.load(Optional.ofNullable(config), System.getenv(), flags);
        try {
            OfflineApi offline = OfflineApi.open(cfg);
            return new OfflineTarget(offline.api(), cfg.dataDir().toString(), offline);
        } catch (OfflineApi.DataDirLockedException e) {
            System.err.println("fhirbolt terminology load: " + e.getMessage());
            return null;
        }
    }

    /** {@code fhirbolt terminology}: the group of terminology commands. */
    @Command(name = "terminology", mixinStandardHelpOptions = true,
            versionProvider = dev.fhirbolt.app.BuildVersion.Provider.class,
            description = "Terminology: load code systems.", subcommands = TerminologyLoadCommand.class)
    public static final class Group implements Callable<Integer> {
        @Override
        public Integer call() {
            System.err.println("fhirbolt terminology: give a subcommand, e.g. load");
            return 2;
        }
    }
}
