package dev.fhirbolt.app;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code fhirbolt} command line. */
@Command(name = "fhirbolt", mixinStandardHelpOptions = true, versionProvider = BuildVersion.Provider.class,
        description = "FHIR R4 server on embedded RocksDB with SMART on FHIR.",
        subcommands = {Main.Serve.class, dev.fhirbolt.app.load.LoadCommand.class,
                dev.fhirbolt.app.admin.TokenCommand.class, dev.fhirbolt.app.admin.ClientCommand.class,
                dev.fhirbolt.app.admin.UserCommand.class, dev.fhirbolt.app.admin.BackupCommand.class,
                dev.fhirbolt.app.admin.RestoreCommand.class, dev.fhirbolt.app.packages.PackageCommand.class,
                dev.fhirbolt.app.load.TerminologyLoadCommand.Group.class})
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        if (WarmUp.serves(args)) {
            WarmUp.begin(); // overlaps the command line's parsing and the logging's set-up (docs/benchmarks.md)
        }
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        int code = commandLine().execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** The command line with its error handling: a failure prints one line saying what went wrong. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("fhirbolt: " + message(e));
            return e instanceof ConfigLoader.ConfigException ? 2 : 1;
        });
        return cli;
    }

    private static String message(Throwable e) {
        String msg = e.getMessage();
        if (msg != null && msg.contains("lock") && msg.contains("LOCK")) {
            return "the data directory is in use by another Fhirbolt process (" + msg + ")";
        }
        return msg == null ? e.toString() : msg;
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = BuildVersion.Provider.class,
            description = "Run the FHIR server.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--config", description = "Properties file with settings (keys as the flag names).")
        Path config;
        @Option(names = "--host", description = "Interface to listen on (default 0.0.0.0).")
        String host;
        @Option(names = "--port", description = "HTTP port (default 8080; 0 picks a free one).")
        String port;
        @Option(names = "--data-dir", description = "Where the database lives (default ./data).")
        String dataDir;
        @Option(names = "--base-url", description = "Public base URL used in links (default: from each request).")
        String baseUrl;
        @Option(names = "--https-port", description = "Also serve HTTPS on this port.")
        String httpsPort;
        @Option(names = "--keystore", description = "PKCS12 keystore with the HTTPS certificate and key.")
        String keystore;
        @Option(names = "--keystore-password", description = "Password of the keystore.")
        String keystorePassword;
        @Option(names = "--max-body-bytes", description = "Largest request body accepted (default 128 MiB).")
        String maxBodyBytes;
        @Option(names = "--security", description = "smart (default: tokens and scopes enforced) or off"
                + " (development mode: no protection at all).")
        String security;
        @Option(names = "--admin-password", description = "Password of the auth server's admin API (user 'admin').")
        String adminPassword;
        @Option(names = "--validation", description = "Validation on write: off, base (default) or profiles.")
        String validation;

        @Option(names = "--demo-setup", description = "Create the demo users, app and patients: true or false"
                + " (default false).")
        String demoSetup;
        @Option(names = "--demo", description = "Try Fhirbolt: create the demo users, app and patients (the same as"
                + " --demo-setup true). Never for real data.")
        boolean demo;

        @Override
        public Integer call() throws Exception {
            ServerConfig cfg = ConfigLoader.load(Optional.ofNullable(config), System.getenv(), flags());
            FhirboltServer server = FhirboltServer.start(cfg);
            Logger log = LoggerFactory.getLogger(Main.class);
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("fhirbolt-shutdown").unstarted(() -> {
                log.info("shutdown requested; finishing in-flight requests");
                server.close();
            }));
            server.join();
            return 0;
        }

        /** The settings given as flags (null where a flag is absent). */
        Map<String, String> flags() {
            Map<String, String> flags = new LinkedHashMap<>();
            flags.put("host", host);
            flags.put("port", port);
            flags.put("data-dir", dataDir);
            flags.put("base-url", baseUrl);
            flags.put("https-port", httpsPort);
            flags.put("keystore", keystore);
            flags.put("keystore-password", keystorePassword);
            flags.put("max-body-bytes", maxBodyBytes);
            flags.put("security", security);
            flags.put("admin-password", adminPassword);
            flags.put("demo-setup", demo ? "true" : demoSetup);
            flags.put("validation", validation);
            return flags;
        }
    }
}
