package dev.fhirbolt.app.packages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fhirbolt.app.ConfigLoader;
import dev.fhirbolt.app.OfflineApi;
import dev.fhirbolt.app.ServerConfig;
import dev.fhirbolt.app.admin.AdminClient;
import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.validation.packages.InstalledPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fhirbolt package install|list}: FHIR packages (implementation guides) into a data directory or a server. */
@Command(name = "package", mixinStandardHelpOptions = true,
        description = "Install FHIR packages (implementation guides: NPM-style .tgz) and list the installed ones.",
        subcommands = {PackageCommand.Install.class, PackageCommand.ListPackages.class})
public final class PackageCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Integer call() {
        new picocli.CommandLine(this).usage(System.out);
        return 0;
    }

    /** Where the packages go: a running server, or a data directory while its server is stopped. */
    static final class Target {
        @Option(names = "--server", description = "Base URL of a running server, e.g. http://localhost:8080")
        String server;
        @Option(names = "--data-dir", description = "Data directory (server stopped).")
        Path dataDir;
    }

    /** The options both subcommands take. */
    static class Options {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;
        @Option(names = "--admin-password", defaultValue = "${env:FHIRBOLT_ADMIN_PASSWORD}",
                description = "With --server: its admin password (default: $FHIRBOLT_ADMIN_PASSWORD); not needed"
                        + " when its security is off.")
        String adminPassword;
        @Option(names = "--config", description = "With --data-dir: properties file with server settings.")
        Path config;
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Install a package; its dependencies must be installed already (hl7.fhir.r4.core is built"
                    + " in).")
    static final class Install implements Callable<Integer> {
        @Mixin
        Options options = new Options();
        @Parameters(arity = "1", paramLabel = "FILE.tgz", description = "The package.")
        Path file;

        @Override
        public Integer call() throws Exception {
            byte[] tgz;
            try {
                tgz = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
            }
            JsonNode answer;
            if (options.target.server != null) {
                answer = send(options, "POST", tgz);
            } else {
                answer = offline(options, api -> PackageAdminHandler.installed(api.install(tgz)));
            }
            System.out.println("installed " + answer.path("name").asText() + "#" + answer.path("version").asText()
                    + ": " + answer.path("installed"));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the installed packages.")
    static final class ListPackages implements Callable<Integer> {
        @Mixin
        Options options = new Options();

        @Override
        public Integer call() throws Exception {
            JsonNode answer = options.target.server != null
                    ? send(options, "GET", null)
                    : offline(options, installer -> {
                        var node = JSON.createObjectNode();
                        var list = node.putArray("packages");
                        for (InstalledPackage p : installer.list()) {
                            list.addObject().put("name", p.name()).put("version", p.version())
                                    .put("resources", p.resources());
                        }
                        return node;
                    });
            if (answer.path("packages").isEmpty()) {
                System.out.println("no packages installed");
            }
            for (JsonNode p : answer.path("packages")) {
                System.out.println(p.path("name").asText() + "#" + p.path("version").asText() + " ("
                        + p.path("resources").asInt() + " resources)");
            }
            return 0;
        }
    }

    private static JsonNode offline(Options options, java.util.function.Function<PackageInstaller, JsonNode> work) {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("data-dir", options.target.dataDir.toString());
        ServerConfig cfg = ConfigLoader.load(Optional.ofNullable(options.config), System.getenv(), flags);
        try (OfflineApi offline = OfflineApi.open(cfg)) {
            return work.apply(new PackageInstaller(offline.api(), offline.store()));
        } catch (FhirException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** The admin endpoint of a running server, through the admin commands' client (its messages, its 401 advice). */
    private static JsonNode send(Options options, String method, byte[] body) {
        return new AdminClient(options.target.server).withAdminCredentials(method, PackageAdminHandler.PATH,
                options.adminPassword, body, "application/gzip", Duration.ofMinutes(10));
    }
}
