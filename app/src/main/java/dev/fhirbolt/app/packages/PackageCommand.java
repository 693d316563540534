package dev.fhirbolt.app.packages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fhirbolt.app.ConfigLoader;
import dev.fhirbolt.app.OfflineApi;
import dev.fhirbolt.app.ServerConfig;
import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.validation.packages.InstalledPackage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
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
                answer = send(options, "POST", HttpRequest.BodyPublishers.ofByteArray(tgz));
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
                    ? send(options, "GET", HttpRequest.BodyPublishers.noBody())
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

    private static JsonNode send(Options options, String method, HttpRequest.BodyPublisher body) {
        String server = options.target.server.replaceAll("/+$", "");
        if (!server.startsWith("http://") && !server.startsWith("https://")) {
            throw new IllegalArgumentException("--server must be the server's base URL, e.g. http://localhost:8080");
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + PackageAdminHandler.PATH))
                .timeout(Duration.ofMinutes(10)).header("Accept", "application/json").method(method, body)
                .header("Content-Type", "application/gzip");
        if (options.adminPassword != null && !options.adminPassword.isEmpty()) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:"
                    + options.adminPassword).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> r;
        try {
            r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot talk to the server at " + server + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException("interrupted");
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalArgumentException("the server at " + server + " answered " + r.statusCode()
                    + " with something other than JSON: is this a Fhirbolt server?");
        }
        if (r.statusCode() == 401) {
            throw new IllegalArgumentException("the server at " + server + " needs the admin password: pass"
                    + " --admin-password or set FHIRBOLT_ADMIN_PASSWORD");
        }
        if (r.statusCode() >= 400) {
            throw new IllegalArgumentException("the server refused (" + r.statusCode() + "): "
                    + answer.path("issue").path(0).path("diagnostics").asText("no reason given"));
        }
        return answer;
    }
}
