package dev.fhirbolt.app.load;

import dev.fhirbolt.app.ConfigLoader;
import dev.fhirbolt.app.OfflineApi;
import dev.fhirbolt.app.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fhirbolt load}: Synthea bundles and NDJSON into a running server or straight into a data directory. */
@Command(name = "load", mixinStandardHelpOptions = true, versionProvider = dev.fhirbolt.app.BuildVersion.Provider.class,
        description = {"Load FHIR data: Synthea output (hospitalInformation*, practitionerInformation*, then patient"
                + " bundles) and NDJSON files (one resource a line).",
                "Over HTTP into a running server (--server), or straight into a data directory while the server is"
                + " stopped (--data-dir)."})
public final class LoadCommand implements Callable<Integer> {

    static final class Target {
        @Option(names = "--server", description = "Base URL of a running server, e.g. http://localhost:8080")
        String server;
        @Option(names = "--data-dir", description = "Data directory to load into directly (server stopped).")
        Path dataDir;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--token", description = "SMART access token for --server when its security is on (e.g. of a"
            + " backend service with system/*.cuds); default: the FHIRBOLT_TOKEN environment variable. For long loads"
            + " use --client (or --key-file) instead: the load then gets its own tokens and renews them.")
    String token;

    @picocli.CommandLine.Mixin
    dev.fhirbolt.app.admin.ClientKeyOptions client = new dev.fhirbolt.app.admin.ClientKeyOptions();

    @Option(names = "--config", description = "Properties file with server settings (used with --data-dir).")
    Path config;

    @Option(names = "--validation", description = "With --data-dir: off, base or profiles (default: the"
            + " 'validation' setting, base). A running server validates as it is configured.")
    String validation;

    @Option(names = "--referential-integrity", description = "With --data-dir: on or off (default: the setting, on)."
            + " NDJSON files load in parallel, so references between files need it off.")
    String referentialIntegrity;

    @Option(names = "--threads", description = "Bundles in flight at once (default: with --server 2 x CPU cores,"
            + " at least 4; with --data-dir the CPU cores, at least 2).")
    Integer threads;

    @Option(names = "--ndjson-batch", defaultValue = "500",
            description = "NDJSON lines per batch Bundle (default ${DEFAULT-VALUE}).")
    int ndjsonBatch;

    @Option(names = "--no-progress", description = "Do not draw the progress bar.")
    boolean noProgress;

    @Parameters(arity = "1..*", paramLabel = "FILES_OR_DIRS", description = "Files (.json bundles, .ndjson) or"
            + " directories holding them.")
    List<Path> inputs;

    @Override
    public Integer call() throws Exception {
        List<Path> files = Loader.collect(inputs);
        if (files.isEmpty()) {
            System.err.println("fhirbolt load: no .json or .ndjson files in " + inputs);
            return 2;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        // Offline, every bundle in flight is planned on this machine's cores: more than one per core only adds
        // memory and collector work (a 100-patient load on 2 cores: 4,699 resources/s with 2 or 3, 4,083 with 4).
        // A server's cores are unknown, and more bundles in flight hide the round trips.
        int n = threads != null ? threads : target.server != null ? Math.max(4, cores * 2) : Math.max(2, cores);
        LoadTarget loadTarget;
        if (target.server != null) {
            loadTarget = new HttpTarget(target.server, credentials());
        } else {
            Map<String, String> flags = new LinkedHashMap<>();
            flags.put("data-dir", target.dataDir.toString());
            flags.put("validation", validation);
            flags.put("referential-integrity", referentialIntegrity);
            ServerConfig cfg = ConfigLoader.load(Optional.ofNullable(config), System.getenv(), flags);
            if (cfg.requestMemoryBytes().isEmpty()) {
                // offline the load is the heap's only user (no searches, no other clients): its transactions may
                // take 90% of the heap that holds long-lived objects instead of a server's 60%, so that a large
                // transaction commits whole within -Xmx1g even with the parallel collector's fixed young generation
                flags.put("request-memory-mb", Long.toString(Math.max(1,
                        dev.fhirbolt.rest.MemoryBudget.defaultBytes() / 6 * 9 / (1024 * 1024))));
                cfg = ConfigLoader.load(Optional.ofNullable(config), System.getenv(), flags);
            }
            OfflineApi offline;
            try {
                offline = OfflineApi.open(cfg);
            } catch (OfflineApi.DataDirLockedException e) {
                System.err.println("fhirbolt load: " + e.getMessage());
                return 3;
            }
            loadTarget = new OfflineTarget(offline.api(), cfg.dataDir().toString(), offline);
        }
        System.err.println("loading " + Progress.files(files.size()) + " into " + loadTarget.describe() + " with " + n
                + " threads");
        Loader loader = new Loader(loadTarget, new Loader.Options(n, ndjsonBatch, !noProgress), System.err);
        // Ctrl-C (or SIGTERM) stops the load: no further file starts; over HTTP the sends in flight are abandoned after
        // a short grace, offline the bundles in flight finish (each commits entirely or not at all) and the data dir
        // is closed here, which offline is what makes the loaded data durable (a bulk load has no write-ahead log).
        // A second Ctrl-C ends the process at once.
        Interruption interruption = Interruption.install(loader, target.server != null);
        // any other way the JVM is asked to end (SIGHUP, System.exit elsewhere) also lets the close below run first
        CountDownLatch closed = new CountDownLatch(1);
        Thread onShutdown = new Thread(() -> {
            loader.cancel();
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fhirbolt-load-shutdown");
        Runtime.getRuntime().addShutdownHook(onShutdown);
        try {
            Loader.Summary summary;
            try {
                summary = loader.load(files);
            } catch (IOException | InterruptedException | RuntimeException e) {
                closeReporting(loadTarget);
                throw e;
            }
            if (!closeReporting(loadTarget)) {
                return 1;
            }
            Loader.printSummary(summary, System.err);
            if (interruption.signal().isPresent()) {
                return interruption.signal().get().equals("TERM") ? 143 : 130;
            }
            return summary.complete() ? 0 : 1;
        } finally {
            interruption.uninstall();
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onShutdown);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running and has waited for the close above
            }
        }
    }

    /** A fixed token (--token, $FHIRBOLT_TOKEN), or a backend-services client's renewed tokens (--client). */
    private LoadCredentials credentials() {
        if (!client.given()) {
            return LoadCredentials.fixed(token != null ? token : System.getenv("FHIRBOLT_TOKEN"));
        }
        if (token != null) {
            throw new dev.fhirbolt.app.admin.CommandException("give either --token or --client/--key-file, not both");
        }
        dev.fhirbolt.app.admin.RenewingToken tokens = client.tokens(target.server);
        tokens.token(); // a client the server refuses is told now, before any file is read
        return LoadCredentials.renewing(tokens);
    }

    /**
     * Closes the target; offline that flushes the data dir, which is what makes the load durable, so a failure is
     * reported and fails the command.
     */
    private static boolean closeReporting(LoadTarget target) {
        try {
            target.close();
            return true;
        } catch (RuntimeException e) {
            System.err.println("fhirbolt load: " + e.getMessage());
            return false;
        }
    }
}
